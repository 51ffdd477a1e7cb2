#!/usr/bin/env bash
# Runs every test project against a throwaway PostgreSQL started here; exits non-zero on any failure.
# Extra arguments go to dotnet test (e.g. --filter "FullyQualifiedName~Sandbox").
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET 10 SDK is missing: install it (https://dot.net/download, or Debian's dotnet-sdk-10.0)." >&2
  exit 1
fi
# Under /tmp: the postgres user (when run as root) can reach it wherever the repository sits.
pgdata=$(mktemp -d /tmp/chatops-test-pg.XXXXXX)
port=$(deploy/free-port.sh)
cleanup() { deploy/pg.sh stop "$pgdata" || true; rm -rf "$pgdata"; }
trap cleanup EXIT
deploy/pg.sh start "$pgdata" "$port"
export CHATOPS_TEST_PG="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
# A missing Chromium or kubectl that cannot be installed does not stop the other tests: the browser tests or the
# Kubernetes manifest tests fail (they are not skipped) and the line saying what to install is repeated next to the totals.
browser_note=""
if [ -x deploy/test-prereqs.sh ]; then
  if ! browser_note=$(deploy/test-prereqs.sh); then
    echo "$browser_note" >&2
  else
    browser_note=""
  fi
fi
if [ -z "${CHROMIUM_PATH:-}" ] && command -v chromium >/dev/null 2>&1; then export CHROMIUM_PATH=$(command -v chromium); fi
log=$(mktemp /tmp/chatops-test-log.XXXXXX)
status=0
# A hung test fails its project after 15 minutes (named in the output) instead of eating CI's time budget; the
# run.sh test builds a fresh clone as a fresh user, which takes minutes on a loaded machine.
dotnet test "$root/ChatOpsIncident.sln" -c Release --logger "console;verbosity=normal" --blame-hang-timeout 15m "$@" 2>&1 | tee "$log" || status=$?
# One closing line over all test projects, e.g. "Tests: 212 passed, 0 failed".
passed=$(awk '/^[[:space:]]+Passed:[[:space:]]+[0-9]+/ {s+=$2} END {print s+0}' "$log")
failed=$(awk '/^[[:space:]]+Failed:[[:space:]]+[0-9]+/ {s+=$2} END {print s+0}' "$log")
rm -f "$log"
if [ "$failed" -gt 0 ]; then status=1; fi
if [ -n "$browser_note" ]; then echo "$browser_note" >&2; fi
echo "Tests: $passed passed, $failed failed"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then echo "dotnet test exited with $status (a build or test-host error above)" >&2; fi
exit "$status"
