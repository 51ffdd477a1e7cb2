#!/usr/bin/env bash
# Manages a local PostgreSQL cluster for development and tests.
#   deploy/pg.sh start  <data-dir> <port>   create the cluster on first use, start it, wait until it answers
#   deploy/pg.sh stop   <data-dir>          stop it (fast shutdown)
#   deploy/pg.sh status <data-dir>          exit 0 and print the port when it is running, else exit 3
# The cluster trusts loopback TCP connections only (no Unix socket, so no socket directory has to be writable or
# reachable); it is for a developer machine or CI, never production.
# Binaries: $CHATOPS_PG_BIN, else Debian's /usr/lib/postgresql/<version>/bin (the cluster's own version first, then
# the newest), RHEL's /usr/pgsql-<version>/bin, else pg_ctl on PATH. Missing: installed with apt-get as root, with
# sudo as a normal user when sudo is there, otherwise one line saying what to install.
# As root the server runs as the postgres user (PostgreSQL refuses root); when that user cannot reach the data dir
# (a repository inside a 0700 home directory), the cluster lives in /var/lib/chatops-incident/ instead.
set -euo pipefail

cmd=${1:?usage: pg.sh start|stop|status <data-dir> [port]}
data=${2:?data dir required}
port=${3:-5432}
root=0
[ "$(id -u)" -eq 0 ] && root=1

say() { echo "pg.sh: $*" >&2; }

if [ -n "${CHATOPS_PG_BIN:-}" ] && [ ! -x "$CHATOPS_PG_BIN/pg_ctl" ]; then
  say "CHATOPS_PG_BIN=$CHATOPS_PG_BIN holds no pg_ctl: point it at the directory of PostgreSQL's binaries."; exit 1
fi

find_bin() {
  local version="" d
  if [ -n "${CHATOPS_PG_BIN:-}" ]; then
    echo "$CHATOPS_PG_BIN"; return 0
  fi
  # An existing cluster only starts with binaries of its own major version.
  [ -f "$data/PG_VERSION" ] && version=$(cat "$data/PG_VERSION" 2>/dev/null || true)
  if [ -n "$version" ]; then
    for d in "/usr/lib/postgresql/$version/bin" "/usr/pgsql-$version/bin"; do
      [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
    done
  fi
  for d in $(ls -d /usr/lib/postgresql/*/bin /usr/pgsql-*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  command -v pg_ctl >/dev/null 2>&1 && { dirname "$(command -v pg_ctl)"; return 0; }
  return 1
}

install_hint="install PostgreSQL (Debian/Ubuntu: 'sudo apt-get install postgresql'), put the directory holding pg_ctl on PATH, or set CHATOPS_PG_BIN to it"

ensure_binaries() {
  local bin sudo=()
  if bin=$(find_bin); then echo "$bin"; return 0; fi
  if ! command -v apt-get >/dev/null 2>&1; then
    say "PostgreSQL is not installed: $install_hint."; exit 1
  fi
  if [ "$root" -eq 0 ]; then
    # A normal user: sudo when it is there (asking for the password only on a terminal), never silently.
    if ! command -v sudo >/dev/null 2>&1; then
      say "PostgreSQL is not installed and this user cannot install it (no root, no sudo): $install_hint."; exit 1
    fi
    if [ -t 0 ]; then sudo=(sudo); else sudo=(sudo -n); fi
    say "PostgreSQL is not installed: installing Debian's 'postgresql' package with sudo apt-get (sudo may ask for your password)..."
  else
    say "PostgreSQL is not installed: installing Debian's 'postgresql' package with apt-get..."
  fi
  # Another process may hold the apt lock (a parallel install); wait for it rather than fail.
  if ! { "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq &&
         "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq postgresql; } >&2; then
    say "Installing PostgreSQL failed (see above): $install_hint."; exit 1
  fi
  bin=$(find_bin) || { say "PostgreSQL was installed but pg_ctl was not found: set CHATOPS_PG_BIN."; exit 1; }
  echo "$bin"
}

ensure_pg_user() {
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
}

# PostgreSQL refuses to run as root: run its tools as the postgres user then; a normal user runs them as itself.
as_pg() {
  if [ "$root" -eq 1 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# The data dir the server really uses. As root, a directory the postgres user cannot reach (its parent is not
# searchable, e.g. /root or a 0700 home) moves to a fixed place named after the requested path, so start, stop and
# status agree on it without any state.
resolve_data() {
  local requested parent alt
  if [ "$cmd" = start ]; then mkdir -p "$data"; elif [ ! -d "$data" ]; then return 1; fi
  requested=$(cd "$data" && pwd -P)
  data=$requested
  [ "$root" -eq 1 ] || return 0
  ensure_pg_user
  parent=$(dirname "$requested")
  if runuser -u postgres -- test -x "$parent" 2>/dev/null; then return 0; fi
  alt=/var/lib/chatops-incident/pgdata-$(printf '%s' "$requested" | sha256sum | cut -c1-16)
  install -d -o root -g root -m 755 /var/lib/chatops-incident
  data=$alt
  if [ "$cmd" = start ]; then
    say "the postgres user cannot reach $requested (a private home directory?): the cluster lives in $data instead."
  fi
}

running() { [ -f "$data/PG_VERSION" ] && as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; }

# Something already answers on the port (bash's /dev/tcp: no extra tool needed).
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

case "$cmd" in
  start)
    resolve_data
    mkdir -p "$data"
    bin=$(ensure_binaries)
    if [ "$root" -eq 1 ]; then
      chown postgres "$data"
    elif [ -f "$data/PG_VERSION" ] && [ ! -O "$data/PG_VERSION" ]; then
      say "$data holds a cluster of another user (created by a run as root?): remove it or run as that user."; exit 1
    fi
    chmod 700 "$data"
    if [ ! -f "$data/PG_VERSION" ]; then
      as_pg "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if running; then
      port=$(sed -n 4p "$data/postmaster.pid")
      say "PostgreSQL already running in $data (port $port)"
    else
      if port_in_use "$port"; then
        say "port $port on 127.0.0.1 is already in use by another program; choose another port."; exit 1
      fi
      # No Unix socket (an empty unix_socket_directories): everything here connects over loopback TCP, and a socket
      # path inside the repository could exceed the 107-byte limit or sit where the server may not write.
      if ! as_pg "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 start \
        -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=300 -c fsync=on" >/dev/null; then
        say "PostgreSQL did not start; see $data/server.log:"; tail -n 5 "$data/server.log" >&2 || true; exit 1
      fi
    fi
    for _ in $(seq 1 60); do
      "$bin/pg_isready" -h 127.0.0.1 -p "$port" -q && exit 0
      sleep 0.5
    done
    say "PostgreSQL did not become ready on 127.0.0.1:$port; see $data/server.log"
    exit 1
    ;;
  stop)
    resolve_data || exit 0
    bin=$(find_bin) || exit 0
    [ -f "$data/PG_VERSION" ] || exit 0
    as_pg "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
  status)
    resolve_data || exit 3
    bin=$(find_bin) || exit 3
    running || exit 3
    # postmaster.pid's fourth line is the port the server listens on.
    sed -n 4p "$data/postmaster.pid"
    ;;
  *)
    echo "usage: pg.sh start|stop|status <data-dir> [port]" >&2
    exit 2
    ;;
esac
