#!/usr/bin/env bash
# Manages a local PostgreSQL cluster for development and tests.
#   deploy/pg.sh start <data-dir> <port>   create the cluster on first use, start it, wait until it answers
#   deploy/pg.sh stop  <data-dir>          stop it (fast shutdown)
# The cluster trusts loopback connections only; it is for a developer machine or CI, never production.
set -euo pipefail

cmd=${1:?usage: pg.sh start|stop <data-dir> [port]}
data=${2:?data dir required}
port=${3:-5432}

find_bin() {
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  command -v pg_ctl >/dev/null 2>&1 && { dirname "$(command -v pg_ctl)"; return 0; }
  return 1
}

ensure_binaries() {
  if ! bin=$(find_bin); then
    if [ "$(id -u)" -ne 0 ]; then
      echo "PostgreSQL binaries are missing; install the Debian 'postgresql' package (needs root)." >&2
      exit 1
    fi
    echo "PostgreSQL binaries are missing: installing the Debian 'postgresql' package..." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
    bin=$(find_bin)
  fi
  echo "$bin"
}

# PostgreSQL refuses to run as root: run its tools as the postgres user then.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$cmd" in
  start)
    bin=$(ensure_binaries)
    mkdir -p "$data"
    data=$(cd "$data" && pwd)
    [ "$(id -u)" -eq 0 ] && { id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres; chown postgres "$data"; chmod 700 "$data"; }
    if [ ! -f "$data/PG_VERSION" ]; then
      as_pg "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      echo "PostgreSQL already running in $data" >&2
    else
      as_pg "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 start \
        -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$data -c max_connections=300 -c fsync=on" >/dev/null
    fi
    for _ in $(seq 1 60); do
      "$bin/pg_isready" -h 127.0.0.1 -p "$port" -q && exit 0
      sleep 0.5
    done
    echo "PostgreSQL did not become ready on 127.0.0.1:$port; see $data/server.log" >&2
    exit 1
    ;;
  stop)
    bin=$(find_bin) || exit 0
    [ -f "$data/PG_VERSION" ] || exit 0
    as_pg "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
  *)
    echo "usage: pg.sh start|stop <data-dir> [port]" >&2
    exit 2
    ;;
esac
