// The workspace page: a small chat client over /sandbox/api. Everything the user sees is built with DOM calls and
// textContent (never innerHTML), so message text cannot become markup. Live arrival is short polling by revision.
(() => {
  'use strict';
  const api = '/sandbox/api';
  const params = new URLSearchParams(location.search);
  const state = { user: null, channel: params.get('channel') || 'general', channels: [], cursor: 0, messages: new Map(), loaded: false, emoji: [], timelineEmoji: 'pushpin', bot: 'chatops' };
  const $ = id => document.getElementById(id);
  const el = (tag, attrs = {}, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') e.className = v; else if (k === 'text') e.textContent = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children) if (c !== null && c !== undefined) e.append(c);
    return e;
  };
  const clientId = () => (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2));
  // The neutral mention token <@id|name> reads as @name.
  const plain = text => (text || '').replace(/<@([^>|]+)\|([^>]+)>/g, '@$2').replace(/<@([^>]+)>/g, '@$1');
  // Without a colour-emoji font (a bare server, a container) an emoji draws as an empty box: show :name: instead.
  const emojiDraws = (() => {
    try {
      const c = document.createElement('canvas'); c.width = c.height = 16;
      const g = c.getContext('2d'); g.textBaseline = 'top'; g.font = '14px sans-serif'; g.fillText('📌', 0, 0);
      const d = g.getImageData(0, 0, 16, 16).data;
      for (let i = 0; i < d.length; i += 4) if (d[i + 3] && (d[i] !== d[i + 1] || d[i + 1] !== d[i + 2])) return true;
      return false;
    } catch { return true; }
  })();
  const shown = (emoji, name) => (emojiDraws ? emoji : `:${name}:`);

  async function call(method, url, body) {
    const response = await fetch(api + url, { method, headers: body ? { 'Content-Type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
    const json = await response.json().catch(() => ({}));
    if (!response.ok) { const error = new Error(json.error || `HTTP ${response.status}`); error.body = json; throw error; }
    return json;
  }

  function status(text) { $('composer-status').textContent = text || ''; }

  async function loadUsers() {
    const json = await call('GET', '/users');
    state.emoji = json.emoji; state.timelineEmoji = json.timelineEmoji; state.bot = json.bot.id;
    const select = $('user');
    for (const u of json.users) select.append(el('option', { value: u.id, text: u.name }));
    const wanted = params.get('as') || localStorage.getItem('sandbox-user');
    state.user = json.users.some(u => u.id === wanted) ? wanted : json.users[0].id;
    select.value = state.user;
    select.addEventListener('change', () => { state.user = select.value; localStorage.setItem('sandbox-user', state.user); resetChannel(); refreshChannels(); });
  }

  async function refreshChannels() {
    const json = await call('GET', `/channels?as=${encodeURIComponent(state.user)}`);
    state.channels = json.channels;
    if (!state.channels.some(c => c.id === state.channel)) { state.channel = 'general'; resetChannel(); }
    const list = $('channels');
    list.replaceChildren(...state.channels.map(c => el('li', {}, el('button', {
      type: 'button', 'data-channel': c.id, 'aria-current': c.id === state.channel ? 'true' : null,
      onclick: () => { state.channel = c.id; history.replaceState(null, '', `?channel=${encodeURIComponent(c.id)}`); resetChannel(); renderChannels(); },
    }, `${c.private ? '🔒' : '#'} ${c.name}`, c.kind !== 'incident' && c.kind !== 'general' ? el('span', { class: 'kind', text: c.kind }) : null))));
    renderHeader();
  }

  function renderChannels() {
    for (const b of $('channels').querySelectorAll('button')) b.setAttribute('aria-current', b.dataset.channel === state.channel ? 'true' : 'false');
    renderHeader();
  }

  function renderHeader() {
    const c = state.channels.find(x => x.id === state.channel);
    $('channel-name').textContent = c ? `${c.private ? '🔒' : '#'}${c.name}` : `#${state.channel}`;
    $('channel-topic').textContent = c && c.topic ? plain(c.topic) : '';
    const link = $('channel-incident');
    link.hidden = !(c && c.incidentUrl);
    link.replaceChildren();
    if (c && c.incidentUrl) link.append(el('a', { href: c.incidentUrl, text: `${c.incident} incident page` }));
  }

  function resetChannel() { state.cursor = 0; state.messages.clear(); state.loaded = false; $('messages').replaceChildren(); poll(); }

  let polling = false;
  async function poll() {
    if (polling || !state.user) return;
    polling = true;
    const channel = state.channel, user = state.user;
    try {
      let more = true;
      while (more) {
        const json = await call('GET', `/channels/${encodeURIComponent(channel)}/messages?as=${encodeURIComponent(user)}&after=${state.cursor}`);
        if (channel !== state.channel || user !== state.user) return;
        for (const m of json.messages) upsert(m);
        state.cursor = json.cursor; more = json.more;
      }
      state.loaded = true;
    } catch (e) { status(`Could not refresh: ${e.message}`); }
    finally { polling = false; }
  }

  function upsert(m) {
    const list = $('messages');
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    const isNew = !state.messages.has(m.id);
    state.messages.set(m.id, m);
    const node = renderMessage(m);
    const old = list.querySelector(`li[data-id="${m.id}"]`);
    if (old) {
      const focused = old.contains(document.activeElement) ? document.activeElement.dataset.focus : null;
      old.replaceWith(node);
      if (focused) node.querySelector(`[data-focus="${focused}"]`)?.focus();
    } else {
      const after = [...list.children].find(li => Number(li.dataset.seq) > m.seq);
      list.insertBefore(node, after || null);
    }
    if (atBottom || isNew) list.scrollTop = list.scrollHeight;
    // A form the bot just asked this person to fill in opens at once, as Slack opens its modal.
    if (isNew && state.loaded && m.form && !m.form.form.submitted && m.ephemeralFor === state.user) openForm(m.form);
  }

  function renderMessage(m) {
    const li = el('li', { class: `message${m.ephemeralFor ? ' ephemeral' : ''}`, 'data-id': m.id, 'data-seq': m.seq, 'aria-label': `${m.userName}: ${plain(m.text).slice(0, 80)}` });
    li.append(el('div', { class: 'meta' },
      el('span', { class: 'author', text: m.userName }),
      m.user === state.bot ? el('span', { class: 'bot', text: 'BOT' }) : null,
      el('time', { datetime: m.ts, text: new Date(m.ts).toLocaleTimeString() }),
      m.pinned ? el('span', { class: 'pinned-mark', text: '📍 pinned' }) : null,
      m.ephemeralFor ? el('span', { class: 'only-you', text: ' · Only visible to you' }) : null));
    if (m.card) li.append(renderCard(m)); else li.append(el('div', { class: 'text', text: plain(m.text) }));
    if (m.buttons.length) li.append(el('div', { class: 'buttons', role: 'group', 'aria-label': 'Actions' }, ...m.buttons.map(b =>
      el('button', { type: 'button', class: b.style, 'data-focus': b.actionId, onclick: () => click(m, b.actionId) }, b.label))));
    if (m.form && !m.form.form.submitted) li.append(el('div', { class: 'buttons' }, el('button', { type: 'button', class: 'primary', 'data-focus': 'form', onclick: () => openForm(m.form) }, `Open form: ${m.form.form.title}`)));
    li.append(renderReactions(m));
    return li;
  }

  function renderCard(m) {
    const c = m.card;
    const card = el('div', { class: `card ${c.tone}` });
    if (c.title) card.append(el('h3', { text: plain(c.title) }));
    if (m.text && m.text !== c.title) card.append(el('div', { class: 'text', text: plain(m.text) }));
    if (c.fields.length) card.append(el('dl', {}, ...c.fields.flatMap(f => [el('dt', { text: f.label }), el('dd', { text: plain(f.value) })])));
    for (const s of c.sections) {
      if (s.heading) card.append(el('h4', { text: s.heading }));
      if (s.text) card.append(el('div', { class: 'text', text: plain(s.text) }));
      if (s.bullets) card.append(el('ul', {}, ...s.bullets.map(b => el('li', { text: plain(b) }))));
      if (s.checklist) card.append(el('ul', { class: 'checklist', 'aria-label': s.heading || 'Checklist' }, ...s.checklist.map(i => el('li', {},
        i.actionId
          ? el('button', { type: 'button', class: 'check', 'aria-pressed': String(i.done), 'data-focus': i.actionId, onclick: ev => { ev.currentTarget.setAttribute('aria-pressed', String(ev.currentTarget.getAttribute('aria-pressed') !== 'true')); click(m, i.actionId); } }, `${i.done ? '☑' : '☐'} ${i.text}${i.doneBy ? ` (${plain(i.doneBy)})` : ''}`)
          : el('span', { text: `${i.done ? '☑' : '☐'} ${i.text}` })))));
    }
    if (c.links.length) card.append(el('p', {}, ...c.links.flatMap((l, n) => [n ? ' · ' : '', el('a', { href: l.url, text: l.label })])));
    if (c.context) card.append(el('p', { class: 'context', text: plain(c.context) }));
    return card;
  }

  function renderReactions(m) {
    const bar = el('div', { class: 'reactions' });
    for (const r of m.reactions) {
      const mine = r.users.includes(state.user);
      bar.append(el('button', { type: 'button', class: 'reaction', 'aria-pressed': String(mine), 'data-focus': `r-${r.name}`, title: r.users.join(', '),
        'aria-label': `${r.emoji} ${r.name}, ${r.count} (${r.users.join(', ')})`, onclick: () => react(m, r.name, !mine) }, `${shown(r.emoji, r.name)} ${r.count}`));
    }
    if (!m.ephemeralFor) bar.append(el('span', { class: 'react-bar' }, ...state.emoji.map(e =>
      el('button', { type: 'button', 'data-focus': `add-${e.name}`, 'aria-label': `React with ${e.emoji} ${e.name}`, title: `React with :${e.name}:`, onclick: () => react(m, e.name, true) }, shown(e.emoji, e.name)))));
    return bar;
  }

  async function send(text) {
    try {
      await call('POST', `/channels/${encodeURIComponent(state.channel)}/messages`, { user: state.user, text, clientMessageId: clientId() });
      status(text.startsWith('/incident') ? 'Sent to the bot…' : '');
      poll();
    } catch (e) { status(`Not sent: ${e.message}`); throw e; }
  }

  async function click(m, actionId) {
    try { await call('POST', `/messages/${m.id}/actions`, { user: state.user, actionId, clientId: clientId() }); status('Sent to the bot…'); }
    catch (e) { status(`Not sent: ${e.message}`); poll(); }
  }

  async function react(m, name, add) {
    try {
      if (add) await call('POST', `/messages/${m.id}/reactions`, { user: state.user, name, clientId: clientId() });
      else await call('DELETE', `/messages/${m.id}/reactions?user=${encodeURIComponent(state.user)}&name=${encodeURIComponent(name)}&clientId=${clientId()}`);
      poll();
    } catch (e) { status(`Reaction not sent: ${e.message}`); }
  }

  let openFormId = null;
  function openForm(view) {
    const dialog = $('form-dialog');
    if (dialog.open) return;
    openFormId = view.id;
    $('form-title').textContent = view.form.title;
    $('form-submit').textContent = view.form.submit;
    $('form-error').textContent = '';
    $('form-fields').replaceChildren(...view.form.fields.map(fieldNode));
    dialog.showModal();
    dialog.querySelector('input, textarea, select')?.focus();
  }

  function fieldNode(f) {
    const id = `field-${f.name}`;
    const error = el('p', { class: 'error', id: `${id}-error` });
    let input;
    if (f.type === 'select') input = el('select', { id, name: f.name }, ...(f.choices || []).map(c => el('option', { value: c.value, selected: c.value === f.value, text: c.label })));
    else if (f.type === 'textarea') input = el('textarea', { id, name: f.name, rows: 3, required: f.required });
    else if (f.type === 'checkbox') input = el('input', { id, name: f.name, type: 'checkbox' });
    else input = el('input', { id, name: f.name, type: 'text', required: f.required, maxlength: 200 });
    input.setAttribute('aria-describedby', error.id);
    const label = el('label', { for: id, text: f.required ? `${f.label} (required)` : f.label });
    return f.type === 'checkbox' ? el('div', { class: 'field checkbox' }, input, label, error) : el('div', { class: 'field' }, label, input, error);
  }

  async function submitForm(ev) {
    ev.preventDefault();
    const values = {};
    for (const input of $('form-fields').querySelectorAll('input, textarea, select')) values[input.name] = input.type === 'checkbox' ? input.checked : input.value;
    for (const e of $('form-fields').querySelectorAll('.error')) e.textContent = '';
    for (const i of $('form-fields').querySelectorAll('[aria-invalid]')) i.removeAttribute('aria-invalid');
    try {
      await call('POST', `/forms/${openFormId}`, { user: state.user, values });
      $('form-dialog').close();
      status('Sent to the bot…');
      poll();
    } catch (e) {
      const errors = (e.body && e.body.errors) || {};
      for (const [name, text] of Object.entries(errors)) {
        $(`field-${name}-error`) && ($(`field-${name}-error`).textContent = text);
        $(`field-${name}`)?.setAttribute('aria-invalid', 'true');
      }
      $('form-error').textContent = Object.keys(errors).length ? 'Please correct the fields above.' : `Not sent: ${e.message}`;
      $('form-fields').querySelector('[aria-invalid]')?.focus();
    }
  }

  $('composer').addEventListener('submit', async ev => {
    ev.preventDefault();
    const box = $('message-box');
    const text = box.value.trim();
    if (!text) return;
    try { await send(text); box.value = ''; } catch { /* status says why; the text stays for another try */ }
  });
  $('message-box').addEventListener('keydown', ev => {
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) { ev.preventDefault(); $('composer').requestSubmit(); }
  });
  $('form').addEventListener('submit', submitForm);
  $('form-cancel').addEventListener('click', () => $('form-dialog').close());

  (async () => {
    await loadUsers();
    await refreshChannels();
    await poll();
    setInterval(poll, 1000);
    setInterval(() => refreshChannels().catch(e => status(`Could not refresh: ${e.message}`)), 3000);
  })().catch(e => status(`The workspace did not load: ${e.message}`));
})();
