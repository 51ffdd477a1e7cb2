#!/usr/bin/env bash
# Runs every test project against a throwaway PostgreSQL started here; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
pgdata=$(mktemp -d /tmp/chatops-test-pg.XXXXXX)
port=$(deploy/free-port.sh)
cleanup() { deploy/pg.sh stop "$pgdata"; rm -rf "$pgdata"; }
trap cleanup EXIT
deploy/pg.sh start "$pgdata" "$port"
export CHATOPS_TEST_PG="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
if [ -x deploy/test-prereqs.sh ]; then deploy/test-prereqs.sh; fi
log=$(mktemp /tmp/chatops-test-log.XXXXXX)
status=0
# A hung test fails its project after 10 minutes (named in the output) instead of eating CI's time budget.
dotnet test "$root/ChatOpsIncident.sln" -c Release --logger "console;verbosity=normal" --blame-hang-timeout 10m "$@" 2>&1 | tee "$log" || status=$?
# One closing line over all test projects, e.g. "Tests: 212 passed, 0 failed".
passed=$(awk '/^[[:space:]]+Passed:[[:space:]]+[0-9]+/ {s+=$2} END {print s+0}' "$log")
failed=$(awk '/^[[:space:]]+Failed:[[:space:]]+[0-9]+/ {s+=$2} END {print s+0}' "$log")
rm -f "$log"
if [ "$failed" -gt 0 ]; then status=1; fi
echo "Tests: $passed passed, $failed failed"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then echo "dotnet test exited with $status (a build or test-host error above)" >&2; fi
exit "$status"
