#!/usr/bin/env bash
# Makes sure the tools some tests drive are there; test.sh runs this before dotnet test:
#   - Chromium, for the browser tests (Debian's chromium);
#   - kubectl, whose built-in kustomize renders deploy/kubernetes for the manifest tests (Debian's kubernetes-client).
# Installs what is missing: with apt-get as root, with sudo as a normal user when sudo works without a prompt (or on
# a terminal). When it cannot, it prints one line per missing tool saying how and exits 3: test.sh goes on, the tests
# that need the tool then fail (they are never skipped) and test.sh repeats the lines next to the totals.
# The lines go to stdout (test.sh keeps them); progress goes to stderr.
set -uo pipefail

have_chromium() {
  if [ -n "${CHROMIUM_PATH:-}" ]; then [ -x "$CHROMIUM_PATH" ]; return; fi
  command -v chromium >/dev/null 2>&1
}
have_kubectl() { command -v kubectl >/dev/null 2>&1; }

chromium_hint="Chromium is missing, so the browser tests cannot run and will fail: install it with 'sudo apt-get install chromium' (or set CHROMIUM_PATH to a Chromium binary)."
kubectl_hint="kubectl is missing, so the Kubernetes manifest tests cannot render deploy/kubernetes and will fail: install it with 'sudo apt-get install kubernetes-client' (Debian's kubectl, with kustomize built in)."

packages=()
hints=()
if ! have_chromium; then packages+=(chromium fonts-dejavu-core); hints+=("$chromium_hint"); fi
if ! have_kubectl; then packages+=(kubernetes-client); hints+=("$kubectl_hint"); fi
[ "${#packages[@]}" -eq 0 ] && exit 0

give_up() { printf '%s\n' "${hints[@]}"; exit 3; }

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then give_up; fi
  if [ -t 0 ]; then sudo=(sudo); elif sudo -n true 2>/dev/null; then sudo=(sudo -n); else give_up; fi
fi
if ! command -v apt-get >/dev/null 2>&1; then give_up; fi
echo "test-prereqs.sh: installing Debian's ${packages[*]} for the tests${sudo:+ with sudo apt-get}..." >&2
# Another process may hold the apt lock (a parallel install); wait for it rather than fail.
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
# One package at a time: a tool that cannot be installed does not keep the other from being installed.
for p in "${packages[@]}"; do
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$p" >/dev/null 2>&1 ||
    echo "test-prereqs.sh: apt-get could not install $p" >&2
done

status=0
if ! have_chromium; then echo "$chromium_hint"; status=3; fi
if ! have_kubectl; then echo "$kubectl_hint"; status=3; fi
exit "$status"
