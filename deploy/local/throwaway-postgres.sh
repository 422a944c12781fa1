#!/usr/bin/env bash
# Starts or stops a private PostgreSQL cluster made from the locally installed server binaries,
# for tests and the local quick start. No Docker, no system service touched.
#
#   throwaway-postgres.sh start DIR PORT   -> prints: JDBC_URL USER PASSWORD   (creates DIR on first use)
#   throwaway-postgres.sh stop DIR
#
# PostgreSQL refuses to run as root, so when run as root the cluster is made and run as the
# unprivileged 'postgres' user (created by Debian's postgresql package).
set -euo pipefail

die() { echo "throwaway-postgres: $*" >&2; exit 1; }

find_bindir() {
  local d
  if command -v pg_config >/dev/null 2>&1; then
    d=$(pg_config --bindir 2>/dev/null || true)
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return; }
  fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r) /usr/local/pgsql/bin /usr/pgsql-*/bin; do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return; }
  done
  local found
  found=$(command -v initdb 2>/dev/null || true)
  [ -n "$found" ] && { dirname "$found"; return; }
  die "no PostgreSQL server binaries (initdb, pg_ctl) found. Install PostgreSQL 13 or newer (Debian/Ubuntu: 'apt-get install postgresql'), or point the console at an existing database with QUARKUS_DATASOURCE_JDBC_URL, QUARKUS_DATASOURCE_USERNAME and QUARKUS_DATASOURCE_PASSWORD."
}

as_owner() {
  if [ "$(id -u)" = "0" ]; then
    id postgres >/dev/null 2>&1 || die "running as root, but there is no 'postgres' user to run PostgreSQL as (PostgreSQL refuses root). Create one or run as a normal user."
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || die "usage: $0 start DIR PORT | stop DIR"
bindir=$(find_bindir)
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

case "$cmd" in
  start)
    port=${3:-}
    [[ "$port" =~ ^[0-9]+$ ]] || die "usage: $0 start DIR PORT"
    if [ "$(id -u)" = "0" ]; then
      chown postgres "$dir"
      runuser -u postgres -- test -x "$dir" \
        || die "the 'postgres' user cannot reach $dir (a parent directory is private); use a directory under /tmp or /var/tmp"
    fi
    chmod 700 "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      password=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
      umask 077
      printf '%s\n' "$password" > "$dir/password"
      if [ "$(id -u)" = "0" ]; then chown postgres "$dir/password"; fi
      as_owner "$bindir/initdb" -D "$dir/data" -U sensorfleet --pwfile="$dir/password" -A scram-sha-256 \
        -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    fi
    password=$(cat "$dir/password")
    if ! as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=${PG_FSYNC:-on}" start >/dev/null \
        || { tail -20 "$dir/postgres.log" >&2; die "PostgreSQL did not start (port $port busy?)"; }
    else
      port=$(as_owner sed -n '1,20p' "$dir/data/postmaster.pid" | sed -n '4p')
    fi
    if ! as_owner env PGPASSWORD="$password" "$bindir/psql" -h 127.0.0.1 -p "$port" -U sensorfleet -d postgres -tAc \
        "select 1 from pg_database where datname='sensorfleet'" | grep -q 1; then
      as_owner env PGPASSWORD="$password" "$bindir/psql" -h 127.0.0.1 -p "$port" -U sensorfleet -d postgres -qc \
        "create database sensorfleet" >/dev/null
    fi
    echo "jdbc:postgresql://127.0.0.1:$port/sensorfleet sensorfleet $password"
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    ;;
  *) die "unknown command '$cmd': use start or stop" ;;
esac
