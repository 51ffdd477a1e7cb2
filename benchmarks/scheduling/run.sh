#!/usr/bin/env bash
# Scheduler benchmark on a throwaway PostgreSQL: idle load, then 10 000 staggered reminders.
# Usage: benchmarks/scheduling/run.sh [incidents=10000] [spreadSeconds=100] [idleSeconds=60]
set -euo pipefail
cd "$(dirname "$0")/../.."
pgdata=$(mktemp -d /tmp/chatops-bench-pg.XXXXXX)
port=$(deploy/free-port.sh)
cleanup() { deploy/pg.sh stop "$pgdata"; rm -rf "$pgdata"; }
trap cleanup EXIT
deploy/pg.sh start "$pgdata" "$port"
dotnet run --project benchmarks/scheduling -c Release -- "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Maximum Pool Size=50" "$@"
