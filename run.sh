#!/usr/bin/env bash
# Runs the bot on this machine with a local PostgreSQL it starts (and creates on first run) in .pgdata/, and stops
# that PostgreSQL again when the bot exits (Ctrl-C included) unless it was already running or --keep-pg is given.
# With no Slack or Teams app configured it turns on the local workspace (Sandbox:Enabled, Development) at /sandbox.
#   ./run.sh [--demo] [--keep-pg] [host arguments...]
#     --demo     seed a handful of past incidents (Sandbox:Demo), so the pages show something
#     --keep-pg  leave PostgreSQL running after the bot stops (also CHATOPS_KEEP_PG=1)
# Settings: CHATOPS_URL (default http://127.0.0.1:5080), CHATOPS_PG_PORT (default 5433), CHATOPS_PG_BIN.
set -euo pipefail
cd "$(dirname "$0")"

keep_pg=${CHATOPS_KEEP_PG:-0}
host_args=()
for arg in "$@"; do
  case "$arg" in
    --keep-pg) keep_pg=1 ;;
    --demo) export Sandbox__Demo=true ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) host_args+=("$arg") ;;
  esac
done

if ! command -v dotnet >/dev/null 2>&1; then
  echo "run.sh: the .NET 10 SDK is missing: install it (https://dot.net/download, or Debian's dotnet-sdk-10.0)." >&2
  exit 1
fi

PGPORT=${CHATOPS_PG_PORT:-5433}
URL=${CHATOPS_URL:-http://127.0.0.1:5080}
url_port=${URL##*:}
url_port=${url_port%%/*}
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
check_url_port() {
  if port_in_use "$url_port"; then
    echo "run.sh: port $url_port is already in use (another ./run.sh?); stop that program or choose another URL with CHATOPS_URL=http://127.0.0.1:<port>." >&2
    exit 1
  fi
}
check_url_port

# PostgreSQL: reuse the cluster when it is already running (and then leave it running), else start it and stop it on exit.
started_pg=0
if running_port=$(deploy/pg.sh status .pgdata 2>/dev/null); then
  PGPORT=$running_port
  echo "PostgreSQL already running (port $PGPORT): it stays running after the bot stops."
else
  if port_in_use "$PGPORT"; then
    echo "run.sh: port $PGPORT is already in use (another PostgreSQL?); choose another with CHATOPS_PG_PORT=<port>." >&2
    exit 1
  fi
  started_pg=1
fi

app=""
cleanup() {
  # A second Ctrl-C while stopping only hurries the bot; PostgreSQL is still stopped.
  trap 'if [ -n "$app" ]; then kill -KILL "$app" 2>/dev/null || true; fi' INT TERM
  if [ -n "$app" ] && kill -0 "$app" 2>/dev/null; then
    kill -TERM "$app" 2>/dev/null || true
    wait "$app" 2>/dev/null || true
  fi
  if [ -n "${announcer:-}" ]; then kill "$announcer" 2>/dev/null || true; fi
  if [ "$started_pg" -eq 1 ]; then
    if [ "$keep_pg" = 1 ]; then
      echo "PostgreSQL keeps running (--keep-pg); stop it with: deploy/pg.sh stop .pgdata"
    else
      echo "Stopping PostgreSQL ..."
      deploy/pg.sh stop .pgdata || true
    fi
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ "$started_pg" -eq 1 ]; then deploy/pg.sh start .pgdata "$PGPORT"; fi
export ConnectionStrings__Incidents=${ConnectionStrings__Incidents:-"Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=postgres"}
export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}

# A chat platform is configured when a Slack token or signing secret or a Teams app id is set in the environment,
# the host's appsettings files or the user secrets. A grep, not a JSON parser: a normal machine may have neither
# python nor jq, and these key names occur nowhere else in those files.
platform_configured() {
  local f key
  for key in Slack__BotToken Slack__SigningSecret Teams__AppId; do
    [ -n "${!key:-}" ] && return 0
  done
  for f in src/ChatOpsIncident.Host/appsettings.json "src/ChatOpsIncident.Host/appsettings.$ASPNETCORE_ENVIRONMENT.json" \
           "${HOME:-/nonexistent}/.microsoft/usersecrets/chatops-incident/secrets.json"; do
    [ -f "$f" ] && grep -Eq '"(Slack:)?(BotToken|SigningSecret)"[[:space:]]*:[[:space:]]*"[^"]|"(Teams:)?AppId"[[:space:]]*:[[:space:]]*"[^"]' "$f" && return 0
  done
  return 1
}
open_at=$URL
if [ -z "${Sandbox__Enabled:-}" ] && ! platform_configured; then
  if [ "$ASPNETCORE_ENVIRONMENT" = Development ]; then
    export Sandbox__Enabled=true
    open_at=$URL/sandbox
    echo "No Slack or Teams app configured: starting the local workspace."
  else
    echo "run.sh: no Slack or Teams app configured, and the local workspace runs in Development only (ASPNETCORE_ENVIRONMENT=$ASPNETCORE_ENVIRONMENT)." >&2
  fi
fi
[ "${Sandbox__Enabled:-}" = true ] && open_at=$URL/sandbox

echo "PostgreSQL: 127.0.0.1:$PGPORT (data in .pgdata/). Building ChatOpsIncident ..."
dotnet build src/ChatOpsIncident.Host -c Release -nologo -v quiet
# Again: the build takes minutes, and another program may have taken the port meanwhile.
check_url_port
echo "Starting ChatOpsIncident on $URL; open $open_at (Ctrl-C stops it)."
# The built host, started in the background so this script keeps its traps (bash runs them only between commands) and
# stops it with SIGTERM on Ctrl-C; from the project directory, where `dotnet run` would start it (content root).
(cd src/ChatOpsIncident.Host && exec dotnet bin/Release/net10.0/ChatOpsIncident.Host.dll --urls "$URL" "${host_args[@]}") &
app=$!
if command -v curl >/dev/null 2>&1; then
  (for _ in $(seq 1 300); do
     kill -0 "$app" 2>/dev/null || exit 0
     if curl -fsS -o /dev/null "$URL/healthz" 2>/dev/null; then echo "Ready: open $open_at"; exit 0; fi
     sleep 1
   done) &
  announcer=$!
fi
status=0
wait "$app" || status=$?
app=""
exit "$status"
