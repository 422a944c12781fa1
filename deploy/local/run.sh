#!/usr/bin/env bash
# Local quick start: a PostgreSQL (unless QUARKUS_DATASOURCE_JDBC_URL points at one), the console,
# and one demo sensor agent connected to it. Ctrl-C stops everything it started.
#
# Environment (all optional):
#   QUARKUS_DATASOURCE_JDBC_URL / _USERNAME / _PASSWORD   use this database instead of a local one
#   SENSORFLEET_ADMIN_PASSWORD   password of 'admin' at first start (otherwise generated)
#   SENSORFLEET_HOME             where local state goes (default: <repo>/.sensorfleet)
#   SENSORFLEET_OPERATOR_PORT    operator-plane HTTPS port (default 8443)
#   SENSORFLEET_AGENT_PORT       agent-plane HTTPS port (default 9443)
#   SENSORFLEET_DEMO_INTERVAL    demo agent heartbeat interval in seconds (default: the console's, 30)
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
# shellcheck source=../find-java.sh
. "$root/deploy/find-java.sh"
sensorfleet_use_java jdk || exit 1
java="$JAVA_HOME/bin/java"

home=${SENSORFLEET_HOME:-$root/.sensorfleet}
operator_port=${SENSORFLEET_OPERATOR_PORT:-8443}
agent_port=${SENSORFLEET_AGENT_PORT:-9443}
mkdir -p "$home"
log() { printf '[run] %s\n' "$*"; }
die() { printf '[run] error: %s\n' "$*" >&2; exit 1; }
command -v curl >/dev/null 2>&1 || die "curl is needed (apt-get install curl)"

pids=()
started_pg=""
cleanup() {
  trap - INT TERM EXIT
  log "stopping"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -n "$started_pg" ] && "$root/deploy/local/throwaway-postgres.sh" stop "$started_pg" || true
}
trap cleanup INT TERM EXIT

if [ ! -f console-service/target/quarkus-app/quarkus-run.jar ] || [ ! -f sensor-agent/target/sensor-agent.jar ]; then
  log "building (first run only; takes a few minutes)"
  ./mvnw -B -q -DskipTests package
fi

if [ -z "${QUARKUS_DATASOURCE_JDBC_URL:-}" ]; then
  # PostgreSQL runs as the 'postgres' user when we are root, so its directory must be reachable by it.
  pgdir=${SENSORFLEET_PG_DIR:-/var/tmp/sensorfleet-$(id -u)-$(printf '%s' "$root" | cksum | cut -d' ' -f1)/pg}
  pgport=54329
  while (exec 3<>"/dev/tcp/127.0.0.1/$pgport") 2>/dev/null && [ ! -f "$pgdir/data/postmaster.pid" ]; do
    pgport=$((pgport + 1))
  done
  log "starting PostgreSQL in $pgdir"
  read -r url user pass < <("$root/deploy/local/throwaway-postgres.sh" start "$pgdir" "$pgport")
  [ -n "${url:-}" ] || die "could not start PostgreSQL"
  started_pg=$pgdir
  export QUARKUS_DATASOURCE_JDBC_URL=$url QUARKUS_DATASOURCE_USERNAME=$user QUARKUS_DATASOURCE_PASSWORD=$pass
fi

export SENSORFLEET_CONSOLE_DATA_DIR=$home/console
# The backup storage path allows only / a-z A-Z 0-9 _, so it cannot live under $home (".sensorfleet").
export SENSORFLEET_BACKUPS_STORAGE_DIR=${SENSORFLEET_BACKUPS_STORAGE_DIR:-/var/tmp/sensorfleet_$(id -u)_$(printf '%s' "$root" | cksum | cut -d' ' -f1)/backups}
export SENSORFLEET_UPDATES_STORAGE_DIR=${SENSORFLEET_UPDATES_STORAGE_DIR:-${SENSORFLEET_BACKUPS_STORAGE_DIR%/backups}/updates}
export QUARKUS_HTTP_SSL_PORT=$operator_port
export SENSORFLEET_AGENT_PLANE_PORT=$agent_port
log "starting the console (log: $home/console.log)"
"$java" -XX:-G1UseAdaptiveIHOP -XX:ThreadPriorityPolicy=1 -jar console-service/target/quarkus-app/quarkus-run.jar >"$home/console.log" 2>&1 &
pids+=($!)
base=https://127.0.0.1:$operator_port
for _ in $(seq 1 120); do
  curl -ksf "$base/q/health/ready" >/dev/null 2>&1 && break
  kill -0 "${pids[0]}" 2>/dev/null || { tail -30 "$home/console.log" >&2; die "the console stopped; see $home/console.log"; }
  sleep 1
done
curl -ksf "$base/q/health/ready" >/dev/null || die "the console did not become ready in 120 s; see $home/console.log"

password=${SENSORFLEET_ADMIN_PASSWORD:-$(cat "$home/console/initial-admin-password" 2>/dev/null || true)}
[ -n "$password" ] || die "no admin password: set SENSORFLEET_ADMIN_PASSWORD"
token=$(curl -ksf "$base/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$password\"}" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[ -n "$token" ] || die "cannot log in as admin (password changed? set SENSORFLEET_ADMIN_PASSWORD)"

agent=sensor-agent/bin/sensor-agent
agent_dir=$home/demo-agent
if ! "$agent" status --state-dir "$agent_dir" >/dev/null 2>&1; then
  cs=$(curl -ksf "$base/api/v1/connection-strings" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"description":"demo sensor of the local quick start"}' | sed -n 's/.*"connectionString":"\([^"]*\)".*/\1/p')
  [ -n "$cs" ] || die "cannot create a connection string"
  log "connecting the demo sensor"
  "$agent" connect "$cs" --state-dir "$agent_dir"
fi
interval_args=()
[ -n "${SENSORFLEET_DEMO_INTERVAL:-}" ] && interval_args=(--interval-seconds "$SENSORFLEET_DEMO_INTERVAL")
"$agent" run --state-dir "$agent_dir" "${interval_args[@]}" >"$home/demo-agent.log" 2>&1 &
pids+=($!)

sensor_id=$("$agent" status --state-dir "$agent_dir" --json | sed -n 's/.*"sensorId" *: *"\([^"]*\)".*/\1/p')
state=""
for _ in $(seq 1 20); do
  state=$(curl -ksf "$base/api/v1/sensors/$sensor_id" -H "Authorization: Bearer $token" \
    | sed -n 's/.*"connectivity":"\([^"]*\)".*/\1/p')
  [ "$state" = "SYNCED" ] && break
  sleep 1
done

cat <<INFO

  SensorFleet is running.
    Console (operator plane): $base   (self-signed certificate, not for production)
    Log in:                   user 'admin', password '$password'
    Try:                      curl -k $base/api/v1/sensors -H "Authorization: Bearer \$(curl -ks $base/api/v1/auth/login -H 'Content-Type: application/json' -d '{"username":"admin","password":"$password"}' | sed 's/.*"token":"\\([^"]*\\)".*/\\1/')"
    Agent plane (mTLS):       https://127.0.0.1:$agent_port
    Demo sensor:              $sensor_id, state ${state:-unknown} (agent log: $home/demo-agent.log)
    API description:          $base/q/openapi
  Ctrl-C stops everything.

INFO
wait "${pids[0]}"
