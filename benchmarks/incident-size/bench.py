"""Drives benchmarks/incident-size/run.sh: declares one incident through the signed slash command, grows it to N
timeline entries by SQL, then times the status command, the detail page and the API, and watches the host's memory."""
import argparse, hashlib, hmac, http.client, http.server, json, statistics, subprocess, threading, time, urllib.parse

p = argparse.ArgumentParser()
for name in ("host", "secret", "token"):
    p.add_argument("--" + name, required=True)
for name in ("respond-port", "pid", "entries", "runs", "requests"):
    p.add_argument("--" + name, type=int, required=True)
a = p.parse_args()
host = urllib.parse.urlparse(a.host)

# response_url answers land here; the status command's latency is "sent" to "answered".
answered, answer_lock = {}, threading.Condition()
class Respond(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with answer_lock:
            answered[self.path.rsplit("/", 1)[-1]] = time.perf_counter()
            answer_lock.notify_all()
        self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *args): pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", a.respond_port), Respond)
threading.Thread(target=server.serve_forever, daemon=True).start()

def psql(sql):
    return subprocess.run(["psql", "-At", "-d", "chatops_bench", "-c", sql], check=True, capture_output=True, text=True).stdout.strip()

conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
def request(method, path, body=None, headers=None):
    conn.request(method, path, body=body, headers=headers or {})
    r = conn.getresponse(); data = r.read()
    return r.status, data

def command(text, channel, key):
    body = urllib.parse.urlencode({"token": "verification_token", "team_id": "T111", "team_domain": "bench",
        "channel_id": channel, "channel_name": "bench", "user_id": "UBENCH001", "user_name": "bench", "command": "/incident",
        "text": text, "response_url": f"http://127.0.0.1:{a.respond_port}/respond/{key}", "trigger_id": f"trig.{key}", "api_app_id": "A111"})
    ts = str(int(time.time()))
    sig = "v0=" + hmac.new(a.secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return request("POST", "/slack/commands", body, {"Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sig})

def wait_answer(key, timeout=30):
    deadline = time.perf_counter() + timeout
    with answer_lock:
        while key not in answered:
            left = deadline - time.perf_counter()
            if left <= 0:
                return None
            answer_lock.wait(left)
        return answered[key]

def rss_mb():
    for line in open(f"/proc/{a.pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0

print("== declaring the incident through the signed slash command")
status, _ = command("declare sev2 Benchmark incident with a long timeline", "CBENCHORIG", "declare")
assert status == 200, status
for _ in range(240):
    row = psql("SELECT id || ' ' || channel_id FROM chatops.incidents WHERE channel_id IS NOT NULL LIMIT 1")
    if row: break
    time.sleep(0.5)
incident_id, channel = row.split()
print(f"incident {incident_id} in channel {channel}")

print(f"== growing it to {a.entries} timeline entries and 2000 audit records (SQL)")
psql(f"""INSERT INTO chatops.timeline (incident_id, kind, occurred_at, recorded_at, author_id, author_name, text)
    SELECT '{incident_id}', 'note', now() - interval '1 day' + g * interval '1 second', now(), 'U' || (g % 50), 'person ' || (g % 50),
        'Timeline note ' || g || ': ' || repeat('observed something worth writing down; ', 3)
    FROM generate_series(1, {a.entries}) g""")
psql(f"""INSERT INTO chatops.audit (incident_id, at, actor, surface, field, old_value, new_value)
    SELECT '{incident_id}', now() - interval '1 day' + g * interval '1 second', 'U1', 'slack', 'status', 'investigating', 'identified'
    FROM generate_series(1, 2000) g""")
psql("ANALYZE")
total = psql(f"SELECT count(*) FROM chatops.timeline WHERE incident_id = '{incident_id}'")
print(f"timeline entries now: {total}")

auth = {"Authorization": f"Bearer {a.token}"}
samples = {"status": [], "detail": [], "api": []}
memory = []
for run in range(1, a.runs + 1):
    for i in range(a.requests):
        key = f"r{run}.{i}"
        t0 = time.perf_counter()
        status, _ = command("status", channel, key)
        assert status == 200, status
        t1 = wait_answer(key)
        assert t1 is not None, f"no answer to status {key}"
        samples["status"].append((t1 - t0) * 1000)

        t0 = time.perf_counter()
        status, body = request("GET", f"/incidents/{incident_id}", headers=auth)
        samples["detail"].append((time.perf_counter() - t0) * 1000)
        assert status == 200 and b"Later entries" in body, status

        t0 = time.perf_counter()
        status, body = request("GET", f"/api/incidents/{incident_id}", headers=auth)
        samples["api"].append((time.perf_counter() - t0) * 1000)
        assert status == 200, status
    doc = json.loads(body)
    memory.append(rss_mb())
    print(f"run {run}: rss {memory[-1]:.0f} MB; api timeline page {len(doc['timeline'])} of {doc['timelineTotal']}, next={'yes' if doc['next']['timeline'] else 'no'}")

def pct(xs, q):
    xs = sorted(xs); return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]
print()
print(f"{'measure':<52} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  target      result")
verdicts = []
for name, label in (("status", "status command, signed, until its answer"), ("detail", "GET /incidents/{id} (detail page, first page)"), ("api", "GET /api/incidents/{id} (first page)")):
    xs = samples[name]; p95 = pct(xs, 0.95); ok = p95 < 200; verdicts.append(ok)
    print(f"{label:<52} {pct(xs, 0.5):8.1f} {p95:8.1f} {max(xs):8.1f}  p95 < 200   {'PASS' if ok else 'FAIL'}")
# Flat: after the first run (JIT, pools, caches warm), memory grows by at most 10 % or 30 MB to the last run.
base, last = memory[1] if len(memory) > 1 else memory[0], memory[-1]
flat = last - base <= max(30, base * 0.10)
verdicts.append(flat)
print(f"{'host RSS over runs (MB): ' + ' '.join(f'{m:.0f}' for m in memory):<80}  run 2→last ≤ +10 %/30 MB  {'PASS' if flat else 'FAIL'}")
print(f"samples per measure: {len(samples['status'])} ({a.runs} runs × {a.requests})")
server.shutdown()
raise SystemExit(0 if all(verdicts) else 1)
