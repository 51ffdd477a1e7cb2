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
[ -x deploy/test-prereqs.sh ] && deploy/test-prereqs.sh
dotnet test "$root/ChatOpsIncident.sln" -c Release --logger "console;verbosity=normal" "$@"
