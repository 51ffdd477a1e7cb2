#!/usr/bin/env bash
# Makes sure the browser tests' Chromium is there; test.sh runs this before dotnet test.
# Installs Debian's chromium when missing: with apt-get as root, with sudo as a normal user when sudo works without
# a prompt (or on a terminal). When it cannot, it prints one line saying how and exits 3: test.sh goes on, the browser
# tests then fail (Chromium cannot launch) and test.sh repeats the line next to the totals. Never a silent skip.
# The line goes to stdout (test.sh keeps it); progress goes to stderr.
set -uo pipefail

found() {
  if [ -n "${CHROMIUM_PATH:-}" ]; then [ -x "$CHROMIUM_PATH" ]; return; fi
  command -v chromium >/dev/null 2>&1
}
found && exit 0

hint="Chromium is missing, so the browser tests cannot run and will fail: install it with 'sudo apt-get install chromium' (or set CHROMIUM_PATH to a Chromium binary)."
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then echo "$hint"; exit 3; fi
  if [ -t 0 ]; then sudo=(sudo); elif sudo -n true 2>/dev/null; then sudo=(sudo -n); else echo "$hint"; exit 3; fi
fi
if ! command -v apt-get >/dev/null 2>&1; then echo "$hint"; exit 3; fi
echo "test-prereqs.sh: installing Debian's chromium for the browser tests${sudo:+ with sudo apt-get}..." >&2
# Another process may hold the apt lock (a parallel install); wait for it rather than fail.
if { "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq &&
     "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null; } >&2 && found; then
  exit 0
fi
echo "$hint"
exit 3
