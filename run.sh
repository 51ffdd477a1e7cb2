#!/usr/bin/env bash
# Runs the bot on this machine with a local PostgreSQL it starts (and creates on first run) in .pgdata/.
set -euo pipefail
cd "$(dirname "$0")"
PGPORT=${CHATOPS_PG_PORT:-5433}
deploy/pg.sh start .pgdata "$PGPORT"
export ConnectionStrings__Incidents=${ConnectionStrings__Incidents:-"Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=postgres"}
export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}
URL=${CHATOPS_URL:-http://127.0.0.1:5080}
echo "PostgreSQL: 127.0.0.1:$PGPORT (data in .pgdata/). Starting ChatOpsIncident on $URL ..."
exec dotnet run --project src/ChatOpsIncident.Host -c Release -- --urls "$URL"
