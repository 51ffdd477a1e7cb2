#!/usr/bin/env bash
# Alert intake benchmark: a burst of BENCH_GROUPS (1 000) distinct Alertmanager alert groups sent at once over
# BENCH_CONNECTIONS (64) connections to POST /webhooks/alerts/bench; target: every one acknowledged (2xx) in under
# 2 s, and every acknowledged one in chatops.inbox (counted after the burst). Own PostgreSQL (fsync on, synchronous
# commit on), Release build, 127.0.0.1 only; stops by itself (about a minute).
# Usage: benchmarks/alerts/run.sh     (BENCH_ROUNDS=3 bursts; the verdict takes the median)
set -euo pipefail
cd "$(dirname "$0")/../.."
GROUPS_N=${BENCH_GROUPS:-1000}
CONNS=${BENCH_CONNECTIONS:-64}
ROUNDS=${BENCH_ROUNDS:-3}
TOKEN=bench-alert-token-0123456789abcdef0123
out=$(mktemp -d /tmp/alert-bench.XXXXXX)
chmod 755 "$out"
pgdata=$out/pg
pgport=$(deploy/free-port.sh)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  deploy/pg.sh stop "$pgdata" >/dev/null 2>&1 || true
  rm -rf "$out"
}
trap cleanup EXIT
wait_http() { for _ in $(seq 1 120); do curl -s -o /dev/null "$1" && return 0; sleep 0.5; done; echo "not up: $1" >&2; exit 1; }

echo "== building (Release)"
dotnet build -c Release src/ChatOpsIncident.Host -v q -nologo >/dev/null
dotnet build -c Release benchmarks/alerts/AlertBench -v q -nologo >/dev/null

echo "== PostgreSQL on 127.0.0.1:$pgport (fsync on, synchronous_commit on)"
deploy/pg.sh start "$pgdata" "$pgport" >/dev/null
export PGHOST=127.0.0.1 PGPORT=$pgport PGUSER=postgres
psql -q -d postgres -c "CREATE DATABASE chatops_bench"

echo "== the host (no chat platform: intake and the inbox worker only)"
hostport=$(deploy/free-port.sh)
ConnectionStrings__Incidents="Host=127.0.0.1;Port=$pgport;Username=postgres;Database=chatops_bench;Maximum Pool Size=100" \
Alerts__Sources__0__Name=bench Alerts__Sources__0__Kind=alertmanager Alerts__Sources__0__Token=$TOKEN \
Logging__LogLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Production \
ASPNETCORE_URLS="http://127.0.0.1:$hostport" dotnet src/ChatOpsIncident.Host/bin/Release/net10.0/ChatOpsIncident.Host.dll > "$out/host.log" 2>&1 & pids+=($!)
wait_http "http://127.0.0.1:$hostport/healthz"
for _ in $(seq 1 120); do curl -sf -o /dev/null "http://127.0.0.1:$hostport/readyz" && break; sleep 0.5; done

: > "$out/rounds.txt"
for round in $(seq 1 "$ROUNDS"); do
  before=$(psql -At -d chatops_bench -c "SELECT count(*) FROM chatops.inbox WHERE platform = 'alerts'")
  result=$(dotnet benchmarks/alerts/AlertBench/bin/Release/net10.0/AlertBench.dll --url "http://127.0.0.1:$hostport" --token $TOKEN \
    --sample tests/ChatOpsIncident.TestSupport/Payloads/alerts/alertmanager.v4.firing.json --groups "$GROUPS_N" --connections "$CONNS")
  after=$(psql -At -d chatops_bench -c "SELECT count(*) FROM chatops.inbox WHERE platform = 'alerts'")
  echo "{\"round\":$round,\"stored\":$((after - before)),\"burst\":$result}" | tee -a "$out/rounds.txt"
done

python3 - "$out/rounds.txt" "$GROUPS_N" <<'PY'
import json, statistics, sys
rounds = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
n = int(sys.argv[2])
ms = statistics.median(r['burst']['burst_ms'] for r in rounds)
ok = all(r['burst']['statuses'] == {'202': n} and r['stored'] == n for r in rounds)
print()
print(f"{n} distinct alert groups per burst, {rounds[0]['burst']['connections']} connections, {len(rounds)} bursts")
for r in rounds:
    b = r['burst']
    print(f"  burst {r['round']}: all acknowledged in {b['burst_ms']} ms (p50 {b['p50_ms']}, p99 {b['p99_ms']}, max {b['max_ms']} ms); statuses {b['statuses']}; inbox rows added {r['stored']}")
print(f"median burst: {ms} ms   target < 2000 ms, nothing lost   {'PASS' if ms < 2000 and ok else 'FAIL'}")
PY
