#!/usr/bin/env bash
# Incident-size benchmark: one incident with 10 000 timeline entries (and 2 000 audit records), on a throwaway
# PostgreSQL, everything on 127.0.0.1, stops by itself (about 2 minutes). Measures, over BENCH_RUNS runs of
# BENCH_REQUESTS requests each:
#   status     the signed `/incident status` slash command from the incident's channel, timed from sending it to the
#              answer arriving at its response_url (the command path is asynchronous: ack, inbox, decision, outbox)
#   detail     GET /incidents/{id} (the detail page, first page of timeline and audit)
#   api        GET /api/incidents/{id} (JSON, first page)
# p50/p95 each (target: under 200 ms), and the host's resident memory after each run (target: flat).
# Usage: benchmarks/incident-size/run.sh      (BENCH_ENTRIES=10000 BENCH_RUNS=10 BENCH_REQUESTS=20)
set -euo pipefail
cd "$(dirname "$0")/../.."
ENTRIES=${BENCH_ENTRIES:-10000}
RUNS=${BENCH_RUNS:-10}
REQUESTS=${BENCH_REQUESTS:-20}
SECRET=bench-secret
TOKEN=bench-api-token-bench-api-token-bench-api
out=$(mktemp -d /tmp/incident-size-bench.XXXXXX)
chmod 755 "$out"   # the postgres user must reach its data dir inside
pgdata=$out/pg
pgport=$(deploy/free-port.sh)
pids=()

cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  deploy/pg.sh stop "$pgdata" >/dev/null 2>&1 || true
  rm -rf "$out"
}
trap cleanup EXIT
wait_http() { for _ in $(seq 1 240); do curl -s -o /dev/null "$1" && return 0; sleep 0.5; done; echo "not up: $1" >&2; exit 1; }

echo "== building (Release)"
dotnet build -c Release src/ChatOpsIncident.Host -v q -nologo >/dev/null
dotnet build -c Release benchmarks/slack/SlackBench -v q -nologo >/dev/null

echo "== PostgreSQL on 127.0.0.1:$pgport"
deploy/pg.sh start "$pgdata" "$pgport" >/dev/null
export PGHOST=127.0.0.1 PGPORT=$pgport PGUSER=postgres
psql -q -d postgres -c "CREATE DATABASE chatops_bench"

echo "== the host, with a zero-latency Slack fake (benchmarks/slack's SlackBench fake-slack)"
fakeport=$(deploy/free-port.sh)
dotnet benchmarks/slack/SlackBench/bin/Release/net10.0/SlackBench.dll fake-slack --port "$fakeport" & pids+=($!)
respondport=$(deploy/free-port.sh)
hostport=$(deploy/free-port.sh)
ConnectionStrings__Incidents="Host=127.0.0.1;Port=$pgport;Username=postgres;Database=chatops_bench" \
Slack__BotToken=xoxb-bench-token Slack__SigningSecret=$SECRET Slack__ApiBaseUrl="http://127.0.0.1:$fakeport/api/" \
Slack__FeedChannel=CFEEDBENCH Slack__ResponseUrlPrefixes__0="http://127.0.0.1:$respondport/" Api__Token=$TOKEN \
Logging__LogLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Production \
ASPNETCORE_URLS="http://127.0.0.1:$hostport" dotnet src/ChatOpsIncident.Host/bin/Release/net10.0/ChatOpsIncident.Host.dll > "$out/host.log" 2>&1 & hostpid=$!
pids+=($hostpid)
wait_http "http://127.0.0.1:$hostport/healthz"
wait_http "http://127.0.0.1:$fakeport/bench/first-post?slug=x"
for _ in $(seq 1 120); do curl -sf -o /dev/null "http://127.0.0.1:$hostport/readyz" && break; sleep 0.5; done

python3 benchmarks/incident-size/bench.py --host "http://127.0.0.1:$hostport" --respond-port "$respondport" \
  --secret "$SECRET" --token "$TOKEN" --pid "$hostpid" --entries "$ENTRIES" --runs "$RUNS" --requests "$REQUESTS"
