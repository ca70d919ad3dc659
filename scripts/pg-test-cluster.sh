#!/usr/bin/env bash
# pg-test-cluster.sh — a throwaway PostgreSQL 15 cluster for tests.
#
#   scripts/pg-test-cluster.sh start        initdb + start; prints the URL
#   scripts/pg-test-cluster.sh url          prints the URL of the running cluster
#   scripts/pg-test-cluster.sh createdb N   creates database N; prints its URL
#   scripts/pg-test-cluster.sh dropdb N     drops database N (if it exists)
#   scripts/pg-test-cluster.sh restart      restarts the server (fast shutdown: open
#                                           connections are cut), same port and data
#   scripts/pg-test-cluster.sh stop         stops the cluster and removes its folder
#
# Uses Debian's `postgresql` package (/usr/lib/postgresql/15/bin; override
# with PG_BIN). The cluster lives in $DUBAN_PG_DIR (default: a new folder
# /tmp/duban-pg.XXXXXX); the folder in use is recorded in the state file
# $DUBAN_PG_STATE (default /tmp/duban-pg-test.state), so `stop`, `url` and
# `createdb` find it again from another shell. Auth is trust, on a unix socket
# inside the folder and on 127.0.0.1 at a free port. The URL has the form
# postgres://postgres@127.0.0.1:PORT/duban_test.
#
# PostgreSQL refuses to run as root: when run as root, the server runs as the
# `postgres` system user (created by the package) through runuser, and owns
# the folder. `stop` is idempotent and safe in a failure trap.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
STATE=${DUBAN_PG_STATE:-/tmp/duban-pg-test.state}
DBNAME=duban_test

die() { echo "pg-test-cluster: $*" >&2; exit 1; }

# Runs a command as the cluster's owner.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# The cluster folder: from the state file, else $DUBAN_PG_DIR.
cluster_dir() {
  if [ -f "$STATE" ]; then
    sed -n 1p "$STATE"
  elif [ -n "${DUBAN_PG_DIR:-}" ]; then
    echo "$DUBAN_PG_DIR"
  fi
}

cluster_port() { sed -n 2p "$STATE" 2>/dev/null; }

running() {
  local dir=$1
  [ -n "$dir" ] && [ -f "$dir/data/postmaster.pid" ] &&
    as_owner "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

free_port() {
  local p
  if p=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null); then
    echo "$p"
    return
  fi
  # No python: the first port in a range that nothing listens on.
  for p in $(seq 55432 55532); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  die "no free port"
}

url() {
  local port
  port=$(cluster_port)
  [ -n "$port" ] || die "no cluster running (no $STATE)"
  echo "postgres://postgres@127.0.0.1:$port/${1:-$DBNAME}"
}

psql_admin() {
  local dir port
  dir=$(cluster_dir)
  port=$(cluster_port)
  as_owner "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres \
    -d postgres "$@"
}

start() {
  local dir port
  dir=$(cluster_dir)
  if running "$dir"; then
    url
    return
  fi
  [ -x "$PG_BIN/initdb" ] || die "$PG_BIN/initdb not found: apt-get install postgresql-15"
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /bin/false postgres
  fi
  if [ -n "${DUBAN_PG_DIR:-}" ]; then
    dir=$DUBAN_PG_DIR
    mkdir -p "$dir"
  else
    dir=$(mktemp -d /tmp/duban-pg.XXXXXX)
  fi
  chmod 700 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  port=$(free_port)
  printf '%s\n%s\n' "$dir" "$port" >"$STATE"
  as_owner "$PG_BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
    --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  # Short socket path: the folder itself. Tests favour speed over durability;
  # DUBAN_PG_DURABLE=1 (benchmarks) keeps PostgreSQL's durable defaults.
  local durability="-c fsync=off -c full_page_writes=off"
  [ "${DUBAN_PG_DURABLE:-0}" = 1 ] && durability="-c shared_buffers=1GB"
  as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-k $dir -p $port -c listen_addresses=127.0.0.1 $durability -c max_connections=50" \
    start >/dev/null || { cat "$dir/server.log" >&2; die "server did not start"; }
  psql_admin -c "CREATE DATABASE $DBNAME"
  url
}

restart() {
  local dir
  dir=$(cluster_dir)
  running "$dir" || die "no cluster running"
  # pg_ctl restart reuses the options of the last start (postmaster.opts).
  as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -m fast -w -t 60 restart \
    >/dev/null || { tail -20 "$dir/server.log" >&2; die "restart failed"; }
}

stop() {
  local dir
  dir=$(cluster_dir)
  if [ -n "$dir" ] && [ -d "$dir" ]; then
    if running "$dir"; then
      as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    case $dir in
      /|/tmp|/tmp/) ;;  # never
      *) rm -rf "$dir" ;;
    esac
  fi
  rm -f "$STATE"
}

valid_name() { [[ $1 =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "bad database name: $1"; }

case ${1:-} in
  start) start ;;
  stop) stop ;;
  restart) restart ;;
  url) url ;;
  createdb)
    valid_name "${2:-}"
    psql_admin -c "CREATE DATABASE $2"
    url "$2" ;;
  dropdb)
    valid_name "${2:-}"
    psql_admin -c "DROP DATABASE IF EXISTS $2 WITH (FORCE)" ;;
  *) echo "usage: $0 start|stop|restart|url|createdb NAME|dropdb NAME" >&2; exit 2 ;;
esac
