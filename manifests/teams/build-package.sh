#!/usr/bin/env bash
# Builds the Teams app package (manifest.json + the two icons, zipped) for upload in Teams or the admin center.
# Usage: BOT_APP_ID=<Microsoft App ID> BOT_DOMAIN=incidents.example.com manifests/teams/build-package.sh [out.zip]
# Optional: TEAMS_APP_ID (the package's own GUID; keep it stable across versions), DEVELOPER_NAME.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/chatops-incident-teams.zip}"
: "${BOT_APP_ID:?set BOT_APP_ID to the Microsoft App ID of the bot (Teams:AppId)}"
: "${BOT_DOMAIN:?set BOT_DOMAIN to the host name that serves /api/messages}"
TEAMS_APP_ID="${TEAMS_APP_ID:-$BOT_APP_ID}"
DEVELOPER_NAME="${DEVELOPER_NAME:-ChatOpsIncident}"
guid='^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$'
[[ "$BOT_APP_ID" =~ $guid ]] || { echo "BOT_APP_ID must be a GUID" >&2; exit 2; }
[[ "$TEAMS_APP_ID" =~ $guid ]] || { echo "TEAMS_APP_ID must be a GUID" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sed -e "s|{{BOT_APP_ID}}|$BOT_APP_ID|g" -e "s|{{TEAMS_APP_ID}}|$TEAMS_APP_ID|g" \
    -e "s|{{BOT_DOMAIN}}|$BOT_DOMAIN|g" -e "s|{{DEVELOPER_NAME}}|$DEVELOPER_NAME|g" \
    "$here/manifest.template.json" > "$work/manifest.json"
if grep -q '{{' "$work/manifest.json"; then echo "unfilled placeholder in manifest.json" >&2; exit 2; fi
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$work/manifest.json"
cp "$here/color.png" "$here/outline.png" "$work/"
rm -f "$out"
# The package must hold the three files at its root, no folder.
(cd "$work" && python3 -m zipfile -c "$out" manifest.json color.png outline.png)
echo "$out"
