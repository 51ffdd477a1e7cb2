#!/usr/bin/env bash
# Slack adapter benchmark. One run on this machine measures our numbers beside the two limits they are judged
# against, all on 127.0.0.1 and bounded in time (about 3½ minutes with the defaults, after an untimed warm-up pass):
#   limit A  bare Kestrel: same body, 128 connections                 -> forged-request refusal must be >= 0.7x
#   limit B  pgbench single-row INSERT TPS, 32 clients, sync commit    -> durable ack (verify+persist+200) >= 0.4x, p99 <= 20 ms
#   declare-to-kickoff p95 against a zero-latency Slack fake          -> <= 1 s
#   PostgreSQL stalled (SIGSTOP) for 5 s under load                    -> no request over 2.5 s; nothing acked unstored
# Usage: benchmarks/slack/run.sh     (BENCH_ROUNDS=3 alternating rounds, BENCH_SECONDS=5 per load phase, BENCH_DECLARES=20)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
S=${BENCH_SECONDS:-5}
ROUNDS=${BENCH_ROUNDS:-3}
DECLARES=${BENCH_DECLARES:-20}
SECRET=bench-secret
out=$(mktemp -d /tmp/slack-bench.XXXXXX)
chmod 755 "$out"   # the postgres user must reach its data dir inside
pgdata=$out/pg
pgport=$(deploy/free-port.sh)
pids=()

cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ -f "$pgdata/postmaster.pid" ]; then
    # Never leave the cluster frozen if the run is interrupted during the stall.
    pm=$(head -1 "$pgdata/postmaster.pid"); kill -CONT "$pm" $(ps -o pid= --ppid "$pm") 2>/dev/null || true
  fi
  deploy/pg.sh stop "$pgdata" || true
  rm -rf "$out"
}
trap cleanup EXIT

wait_http() { for _ in $(seq 1 120); do curl -s -o /dev/null "$1" && return 0; sleep 0.5; done; echo "not up: $1" >&2; exit 1; }
# The inbox worker finishes the durable-ack phase's backlog before latency phases start (they measure a path, not a queue).
drain() {
  for _ in $(seq 1 240); do
    [ "$(psql -At -d chatops_bench -c "SELECT count(*) FROM chatops.inbox WHERE status = 'pending'")" = 0 ] && return 0
    sleep 0.5
  done
  echo "warning: inbox backlog not drained after 120 s" >&2
}
json() { python3 -c "import json,sys; print(json.loads(sys.argv[1])$2)" "$1"; }

echo "== building (Release)"
dotnet build -c Release src/ChatOpsIncident.Host -v q -nologo >/dev/null
dotnet build -c Release benchmarks/slack/SlackBench -v q -nologo >/dev/null
bench=(dotnet benchmarks/slack/SlackBench/bin/Release/net10.0/SlackBench.dll)

echo "== PostgreSQL on 127.0.0.1:$pgport (fsync on, synchronous_commit on)"
deploy/pg.sh start "$pgdata" "$pgport" >/dev/null
export PGHOST=127.0.0.1 PGPORT=$pgport PGUSER=postgres
psql -q -d postgres -c "CREATE DATABASE chatops_bench" -c "CREATE TABLE bench_insert (id bigserial PRIMARY KEY, payload text NOT NULL)"

body=$(python3 -c "print('x'*600)")
echo "INSERT INTO bench_insert (payload) VALUES ('$body');" > "$out/insert.sql"
bareport=$(deploy/free-port.sh)
"${bench[@]}" bare --port "$bareport" & pids+=($!)

echo "== the host, with a zero-latency Slack fake"
fakeport=$(deploy/free-port.sh)
"${bench[@]}" fake-slack --port "$fakeport" & pids+=($!)
hostport=$(deploy/free-port.sh)
ConnectionStrings__Incidents="Host=127.0.0.1;Port=$pgport;Username=postgres;Database=chatops_bench;Maximum Pool Size=100" \
Slack__BotToken=xoxb-bench-token Slack__SigningSecret=$SECRET Slack__ApiBaseUrl="http://127.0.0.1:$fakeport/api/" \
Slack__FeedChannel=CFEEDBENCH Logging__LogLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Production \
ASPNETCORE_URLS="http://127.0.0.1:$hostport" dotnet src/ChatOpsIncident.Host/bin/Release/net10.0/ChatOpsIncident.Host.dll > "$out/host.log" 2>&1 & pids+=($!)
wait_http "http://127.0.0.1:$bareport/"
wait_http "http://127.0.0.1:$hostport/healthz"
wait_http "http://127.0.0.1:$fakeport/bench/first-post?slug=x"
url="http://127.0.0.1:$hostport"

# A host just started runs its request path as tier-0 JIT code for the first seconds: one untimed pass of each load
# warms it (tiered compilation, the connection pool, PostgreSQL's caches), so round 1 measures the same server as 2 and 3.
echo "== warm-up (untimed): forged and durable, ${S}s each"
"${bench[@]}" load --url "$url" --kind forged --connections 128 --seconds "$S" >/dev/null
"${bench[@]}" load --url "$url" --kind event --connections 32 --seconds "$S" --secret $SECRET >/dev/null
# Rows the worker holds are skipped (it finishes them itself): a plain UPDATE of every pending row deadlocked with it.
retire() { psql -q -d chatops_bench -c "UPDATE chatops.inbox SET status = 'done', completed_at = now() WHERE id IN (SELECT id FROM chatops.inbox WHERE status = 'pending' AND delivery_id LIKE 'EvB%' ORDER BY id FOR UPDATE SKIP LOCKED)"; }
retire

# The machine is shared: each limit is measured right next to the number it judges, in $ROUNDS alternating rounds,
# and the summary takes the median round, so a neighbour's build starting mid-run skews one round, not the verdict.
: > "$out/rounds.txt"
for round in $(seq 1 "$ROUNDS"); do
  echo "== round $round/$ROUNDS: limit A (bare Kestrel, 128 conns) | forged refused by the host (128 conns) | limit B (pgbench INSERT, 32 clients) | durable ack (32 conns), ${S}s each"
  bare=$("${bench[@]}" load --url "http://127.0.0.1:$bareport" --kind bare --connections 128 --seconds "$S")
  forged=$("${bench[@]}" load --url "$url" --kind forged --connections 128 --seconds "$S")
  retire
  rm -f "$out"/pgb.*
  PGOPTIONS='-c synchronous_commit=on' pgbench -n -c 32 -j 2 -T "$S" -f "$out/insert.sql" -l --log-prefix="$out/pgb" postgres > "$out/pgbench.txt" 2>&1
  pg_tps=$(grep -Eo 'tps = [0-9.]+' "$out/pgbench.txt" | tail -1 | awk '{print $3}')
  pg_lat=$(grep -Eo 'latency average = [0-9.]+' "$out/pgbench.txt" | awk '{print $4}')
  # pgbench's own p99 (per-transaction log, microseconds in column 3): the floor our p99 sits on.
  pg_p99=$(cat "$out"/pgb.* | awk '{print $3}' | sort -n | awk '{a[NR]=$1} END {i=int(NR*0.99); if (i<1) i=1; printf "%.2f", a[i]/1000}')
  durable=$("${bench[@]}" load --url "$url" --kind event --connections 32 --seconds "$S" --secret $SECRET)
  echo "{\"round\":$round,\"pg_tps\":$pg_tps,\"pg_latency_avg_ms\":$pg_lat,\"pg_p99_ms\":$pg_p99,\"bare\":$bare,\"forged\":$forged,\"durable\":$durable}" | tee -a "$out/rounds.txt"
done

echo "== inbox worker drain rate after the durable phase (5 s)"
q_done="SELECT count(*) FROM chatops.inbox WHERE status = 'done'"
d0=$(psql -At -d chatops_bench -c "$q_done"); sleep 5; d1=$(psql -At -d chatops_bench -c "$q_done")
backlog=$(psql -At -d chatops_bench -c "SELECT count(*) FROM chatops.inbox WHERE status = 'pending'")
drain_rate=$(( (d1 - d0) / 5 ))
echo "drained $drain_rate/s; backlog $backlog"
# The durable phase leaves pin events for a channel that is not an incident channel. They are retired here so the
# declare phase measures the declare path, not the queue in front of it (the drain rate above is the honest number).
retire
drain
echo "== ours: declare-to-kickoff, $DECLARES declares one at a time"
declare=$("${bench[@]}" declare --url "$url" --fake "http://127.0.0.1:$fakeport" --count "$DECLARES" --secret $SECRET)
echo "$declare"

drain
echo "== ours: PostgreSQL stalled for 5 s under load (32 connections, events + slash commands)"
"${bench[@]}" load --url "$url" --kind mixed --connections 32 --seconds 12 --warmup 0 --secret $SECRET \
  --response-url "http://127.0.0.1:$fakeport/respond/stall" --acked-file "$out/acked.txt" > "$out/stall.json" & loadpid=$!
sleep 3
pm=$(head -1 "$pgdata/postmaster.pid")
stopped="$pm $(ps -o pid= --ppid "$pm" | tr '\n' ' ')"
kill -STOP $stopped
sleep 5
kill -CONT $stopped
wait $loadpid
stall=$(cat "$out/stall.json")
echo "$stall"
psql -q -d chatops_bench -c "CREATE TABLE acked (id text)" -c "\\copy acked FROM '$out/acked.txt'"
acked=$(psql -At -d chatops_bench -c "SELECT count(*) FROM acked")
lost=$(psql -At -d chatops_bench -c "SELECT count(*) FROM acked a WHERE NOT EXISTS (SELECT 1 FROM chatops.inbox i WHERE i.platform = 'slack' AND i.delivery_id = a.id)")

python3 - "$out/rounds.txt" "$declare" "$stall" "$acked" "$lost" "$drain_rate" "$backlog" <<'PY'
import json, statistics, sys
rounds = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
declare, stall = json.loads(sys.argv[2]), json.loads(sys.argv[3])
acked, lost, drain_rate, backlog = (int(a) for a in sys.argv[4:8])
med = statistics.median
def row(name, value, target="", ok=None): print(f"{name:<42} {value:<52} {target:<12} {'' if ok is None else 'PASS' if ok else 'FAIL'}")
print()
print("per round (req/s; p99 ms):")
for r in rounds:
    print(f"  round {r['round']}: bare {r['bare']['rps']}  forged {r['forged']['rps']} ({r['forged']['rps']/r['bare']['rps']:.2f}x)  "
          f"pgbench {r['pg_tps']:.0f} tps (avg {r['pg_latency_avg_ms']} ms, p99 {r['pg_p99_ms']} ms)  durable {r['durable']['rps']} ({r['durable']['rps']/r['pg_tps']:.2f}x, p99 {r['durable']['p99_ms']})")
print()
print(f"{'measure (median of rounds)':<42} {'value':<52} {'target':<12} result")
bare = med(r['bare']['rps'] for r in rounds); pg = med(r['pg_tps'] for r in rounds)
row("limit A: bare Kestrel, 128 conns", f"{bare:.0f} req/s")
row("limit B: pgbench INSERT, 32 clients", f"{pg:.0f} tps (its own p99 {med(r['pg_p99_ms'] for r in rounds)} ms)")
fr = med(r['forged']['rps'] / r['bare']['rps'] for r in rounds)
row("forged request refused (401), 128 conns", f"{med(r['forged']['rps'] for r in rounds):.0f} req/s = {fr:.2f}x A", ">= 0.70x A",
    fr >= 0.7 and all(set(r['forged']['statuses']) == {'401'} for r in rounds))
dr = med(r['durable']['rps'] / r['pg_tps'] for r in rounds)
row("durable ack, 32 conns", f"{med(r['durable']['rps'] for r in rounds):.0f} req/s = {dr:.2f}x B", ">= 0.40x B",
    dr >= 0.4 and all(set(r['durable']['statuses']) == {'200'} for r in rounds))
p99 = med(r['durable']['p99_ms'] for r in rounds)
row("durable ack p99", f"{p99} ms (p50 {med(r['durable']['p50_ms'] for r in rounds)})", "<= 20 ms", p99 <= 20)
row("declare-to-kickoff p95", f"{declare['kickoff_p95_ms']} ms (p50 {declare['kickoff_p50_ms']}, max {declare['kickoff_max_ms']})", "<= 1000 ms",
    declare['kickoff_p95_ms'] <= 1000 and declare['missing'] == 0)
row("PG stalled 5 s: slowest request", f"{stall['max_ms']} ms; {stall['statuses']}", "<= 2500 ms", stall['max_ms'] <= 2500)
row("PG stalled: acked but not stored", f"{lost} of {acked} acked events; {stall['try_again']} 'try again'", "0", lost == 0)
row("inbox worker drain rate (informational)", f"{drain_rate}/s, backlog {backlog}", "")
PY
