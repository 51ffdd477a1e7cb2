namespace ChatOpsIncident.Host.Web;

/// <summary>The pages' stylesheet and script, served by the host itself (no front-end build step).</summary>
internal static class Assets
{
    // Colours keep at least 7:1 contrast on their backgrounds (WCAG AAA for body text).
    public const string Css = """
        :root { --fg: #1b1b1b; --muted: #474747; --bg: #ffffff; --line: #c9c9c9; --link: #0645ad; --focus: #b35900; --open-fg: #7a1414; --open-bg: #fde8e8; --done-fg: #14502a; --done-bg: #e3f4e6; --bar: #2f5d9e; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--fg); background: var(--bg); }
        a { color: var(--link); }
        a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible, [tabindex]:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
        .skip { position: absolute; left: -999px; top: 0; background: var(--fg); color: var(--bg); padding: .5rem 1rem; z-index: 10; }
        .skip:focus { left: .5rem; }
        .top { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; gap: .5rem 1.5rem; padding: .75rem 1rem; border-bottom: 1px solid var(--line); }
        .top nav a { margin-right: 1rem; font-weight: 600; text-decoration: none; }
        .top nav a[aria-current="page"] { text-decoration: underline; text-underline-offset: .3em; }
        .who { margin: 0; color: var(--muted); font-size: .9rem; }
        .who form.signout { display: inline; }
        main { padding: 1rem; max-width: 72rem; margin: 0 auto; }
        main:focus { outline: none; }
        footer { padding: 1rem; color: var(--muted); font-size: .85rem; border-top: 1px solid var(--line); }
        h1 { font-size: 1.6rem; line-height: 1.25; margin: .5rem 0 1rem; overflow-wrap: anywhere; }
        h2 { font-size: 1.25rem; margin-top: 2rem; }
        .table-wrap { overflow-x: auto; margin: .5rem 0 1rem; }
        table { border-collapse: collapse; width: 100%; }
        caption { text-align: left; font-weight: 600; padding: .25rem 0; color: var(--muted); }
        th, td { text-align: left; vertical-align: top; padding: .4rem .6rem; border-bottom: 1px solid var(--line); }
        th { font-weight: 600; white-space: nowrap; }
        td { overflow-wrap: break-word; }
        .badge { display: inline-block; padding: 0 .45rem; border-radius: .25rem; font-size: .85rem; font-weight: 600; border: 1px solid currentColor; white-space: nowrap; }
        .badge-open { color: var(--open-fg); background: var(--open-bg); }
        .badge-done { color: var(--done-fg); background: var(--done-bg); }
        .badge-ended { color: var(--done-fg); background: var(--done-bg); font-style: italic; }
        .badge-sev, .badge-type, .badge-private { color: var(--fg); background: #f2f2f2; }
        .badge-drill { color: #5b3a00; background: #ffe9b3; }
        form.filters { display: flex; flex-wrap: wrap; gap: .75rem 1rem; align-items: flex-end; margin-bottom: 1rem; }
        form.filters div, form.stack div { display: flex; flex-direction: column; }
        form.stack { display: grid; gap: .75rem; max-width: 36rem; }
        label { font-weight: 600; font-size: .9rem; }
        input, select, textarea, button { font: inherit; padding: .45rem .6rem; border: 1px solid #767676; border-radius: .25rem; min-height: 2.75rem; }
        button { background: var(--link); color: #fff; border-color: var(--link); cursor: pointer; font-weight: 600; }
        button.secondary { background: #fff; color: var(--link); }
        .notice { padding: .75rem 1rem; border-left: 4px solid var(--open-fg); background: var(--open-bg); white-space: pre-wrap; }
        .notice-ok { border-color: var(--done-fg); background: var(--done-bg); }
        ol.timeline { list-style: none; padding: 0; }
        ol.timeline li { padding: .5rem 0; border-bottom: 1px solid var(--line); }
        ol.timeline .meta { display: block; color: var(--muted); font-size: .9rem; }
        .local { color: var(--muted); font-size: .85em; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
        dl.facts dt { font-weight: 600; }
        dl.facts dd { margin: 0; }
        .links { display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; }
        .chart { max-width: 40rem; margin: 1rem 0; }
        .chart figcaption { font-weight: 600; }
        .chart rect.bar { fill: var(--bar); }
        .chart text { font-size: 15px; fill: var(--fg); }
        .markdown { overflow-wrap: anywhere; }
        .markdown table { margin: .5rem 0 1rem; display: block; overflow-x: auto; max-width: 100%; }
        .markdown pre { overflow-x: auto; }
        .markdown blockquote { margin: .5rem 0; padding-left: 1rem; border-left: 4px solid var(--line); color: var(--fg); }
        @media (max-width: 40rem) {
          h1 { font-size: 1.3rem; }
          dl.facts { grid-template-columns: 1fr; }
          dl.facts dd { margin-bottom: .5rem; }
          .table-wrap table, .table-wrap tbody, .table-wrap tr, .table-wrap td, .table-wrap th[scope="row"] { display: block; width: 100%; }
          .table-wrap thead { position: absolute; left: -9999px; }
          .table-wrap tr { border: 1px solid var(--line); border-radius: .25rem; margin-bottom: .75rem; padding: .35rem .6rem; }
          .table-wrap td, .table-wrap th[scope="row"] { border: 0; padding: .15rem 0; white-space: normal; }
          .table-wrap [data-label]::before { content: attr(data-label) ": "; font-weight: 600; color: var(--muted); }
        }
        """;

    /// <summary>Shows each UTC time in the reader's own zone too; the page is complete without it.</summary>
    public const string Js = """
        document.addEventListener('DOMContentLoaded', function () {
          var fmt;
          try {
            fmt = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
          } catch (e) { return; }
          document.querySelectorAll('time[data-local]').forEach(function (el) {
            var d = new Date(el.getAttribute('datetime'));
            if (isNaN(d)) { return; }
            var local = document.createElement('span');
            local.className = 'local';
            local.textContent = ' (' + fmt.format(d) + ')';
            el.after(local);
          });
        });
        """;
}
