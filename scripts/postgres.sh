#!/usr/bin/env bash
# Runs a PostgreSQL 15 cluster that belongs to Ferry's tests and demo: its own data directory and
# port, so it never touches a system cluster. PostgreSQL refuses to run as root, so as root the
# server runs as the 'postgres' user.
#
#   scripts/postgres.sh start   # initdb if needed, start, create the 'ferry' database; prints the URL
#   scripts/postgres.sh stop
#   scripts/postgres.sh url     # the libpq URL of the cluster
#
# FERRY_PG_PORT (default 55432) and FERRY_PG_DATA (default /var/tmp/ferry-postgres-$FERRY_PG_PORT).
set -euo pipefail

port="${FERRY_PG_PORT:-55432}"
data="${FERRY_PG_DATA:-/var/tmp/ferry-postgres-$port}"
url="postgresql://postgres@127.0.0.1:$port/ferry"

find_bin() {
  local name=$1
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/$name" ] && { echo "$dir/$name"; return; }
  done
  command -v "$name" || { echo "scripts/postgres.sh: '$name' not found; install the 'postgresql' package" >&2; exit 1; }
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start() {
  local initdb pg_ctl
  initdb=$(find_bin initdb)
  pg_ctl=$(find_bin pg_ctl)
  if [ ! -s "$data/PG_VERSION" ]; then
    mkdir -p "$data"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$data"
    chmod 700 "$data"
    as_owner "$initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    {
      echo "port = $port"
      echo "listen_addresses = '127.0.0.1'"
      echo "unix_socket_directories = '$data'"
      echo "fsync = on"
      echo "max_prepared_transactions = 20"
      echo "wal_level = logical"
    } | as_owner tee -a "$data/postgresql.conf" >/dev/null
  fi
  if ! as_owner "$pg_ctl" -D "$data" status >/dev/null 2>&1; then
    # Every emulator session, sink, source and validator holds its own connection, and the test
    # suites run in parallel: give them room (an option, so older data directories get it too).
    as_owner "$pg_ctl" -D "$data" -l "$data/server.log" -o "-c max_connections=600" -w -t 60 start >/dev/null
  fi
  if ! psql "postgresql://postgres@127.0.0.1:$port/postgres" -tAc "select 1 from pg_database where datname = 'ferry'" | grep -q 1; then
    psql "postgresql://postgres@127.0.0.1:$port/postgres" -q -c "create database ferry"
  fi
  echo "$url"
}

stop() {
  local pg_ctl
  pg_ctl=$(find_bin pg_ctl)
  if [ -s "$data/PG_VERSION" ]; then
    as_owner "$pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) echo "$url" ;;
  *) echo "usage: scripts/postgres.sh start|stop|url" >&2; exit 2 ;;
esac
