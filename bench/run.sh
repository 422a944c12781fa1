#!/usr/bin/env bash
# Runs one benchmark scenario of SPEC §4 against the packaged console and a throwaway PostgreSQL,
# with simulated sensors (sensor-agent simulate), and writes bench/results/<scenario>-<time>.json
# plus a human summary (.txt) next to it. See docs/benchmarks.md.
#
#   bench/run.sh list                 the scenarios
#   bench/run.sh heartbeat-10k        one scenario
#
# Knobs (environment, all optional): BENCH_COUNT (sensors), BENCH_DURATION (measured seconds),
# BENCH_WARMUP, BENCH_RAMP, BENCH_INTERVAL (heartbeat interval override), BENCH_KEEPALIVE (client
# keep-alive seconds, 0 = connection per heartbeat), BENCH_CONSOLE_HEAP (default 1g), BENCH_SIM_HEAP,
# BENCH_JFR=1 (record the console with JFR), BENCH_CONSOLE_JAVA_OPTS, BENCH_SIM_JAVA_OPTS,
# BENCH_ENROLL_CONCURRENCY, BENCH_WORK (scratch directory), BENCH_SAMPLE_SECONDS (default 5).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../deploy/local/find-java.sh
. "$ROOT/deploy/local/find-java.sh"
[ -n "${JAVA_HOME:-}" ] || exit 1
# shellcheck source=lib/env.sh
. "$ROOT/bench/lib/env.sh"

SCENARIOS="heartbeat-10k heartbeat-50k enrollment-burst reconnect-storm-10k"
usage() {
  cat >&2 <<USAGE
usage: bench/run.sh <scenario>|list
scenarios:
  heartbeat-10k        10,000 sensors, 30 s heartbeats, kept-alive mTLS connections; steady state measured
  heartbeat-50k        50,000 sensors, 30 s heartbeats; one TLS connection per heartbeat (see docs/benchmarks.md:
                       this machine allows 20,000 open files per process, fewer than 50,000 kept-alive connections)
  enrollment-burst     20,000 enrollments as fast as the console takes them; 5 % of tokens replayed at once
  reconnect-storm-10k  10,000 connected sensors, console restarted; time until all report again
not yet runnable (their features do not exist yet): settings-push-10k, backup-upload-20x500mb, forwarding-burst
USAGE
}

scenario=${1:-}
case "$scenario" in
  list|-h|--help) usage; exit 0 ;;
  "") usage; exit 2 ;;
  heartbeat-10k|heartbeat-50k|enrollment-burst|reconnect-storm-10k) ;;
  settings-push-10k|backup-upload-20x500mb|forwarding-burst)
    bench_die "scenario '$scenario' is not runnable yet: the feature it measures does not exist (see docs/benchmarks.md)" ;;
  *) usage; bench_die "unknown scenario '$scenario' (bench/run.sh list)" ;;
esac

for tool in jq curl psql getconf pgrep; do
  command -v "$tool" >/dev/null 2>&1 || bench_die "'$tool' is needed (Debian: apt-get install jq curl postgresql-client procps)"
done
CONSOLE_JAR=$ROOT/console-service/target/quarkus-app/quarkus-run.jar
AGENT_JAR=$ROOT/sensor-agent/target/sensor-agent.jar
[ -f "$CONSOLE_JAR" ] && [ -f "$AGENT_JAR" ] || bench_die "build first: ./mvnw -B -q -DskipTests package"

# ---- scenario parameters ---------------------------------------------------------------------
case "$scenario" in
  heartbeat-10k) count=10000; keepalive=300; ramp=60; warmup=30; duration=180 ;;
  heartbeat-50k) count=50000; keepalive=0; ramp=180; warmup=30; duration=180 ;;
  enrollment-burst) count=20000; keepalive=300; ramp=0; warmup=0; duration=0 ;;
  reconnect-storm-10k) count=10000; keepalive=300; ramp=60; warmup=0; duration=0 ;;
esac
COUNT=${BENCH_COUNT:-$count}
KEEPALIVE=${BENCH_KEEPALIVE:-$keepalive}
RAMP=${BENCH_RAMP:-$ramp}
WARMUP=${BENCH_WARMUP:-$warmup}
DURATION=${BENCH_DURATION:-$duration}
INTERVAL=${BENCH_INTERVAL:-}
CONSOLE_HEAP=${BENCH_CONSOLE_HEAP:-1g}
SIM_HEAP=${BENCH_SIM_HEAP:-$( [ "$COUNT" -gt 20000 ] && echo 3g || echo 1500m )}
ENROLL_CONCURRENCY=${BENCH_ENROLL_CONCURRENCY:-64}
SAMPLE_SECONDS=${BENCH_SAMPLE_SECONDS:-5}
STEADY_BEFORE_RESTART=${BENCH_STEADY_BEFORE_RESTART:-60}
RECOVERY_LIMIT=${BENCH_RECOVERY_LIMIT:-120}
for v in COUNT KEEPALIVE RAMP WARMUP DURATION ENROLL_CONCURRENCY SAMPLE_SECONDS; do
  [[ ${!v} =~ ^[0-9]+$ ]] || bench_die "$v must be a whole number, not '${!v}'"
done

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
WORK=${BENCH_WORK:-/var/tmp/sensorfleet-bench}/$scenario-$STAMP
RESULTS=$ROOT/bench/results
mkdir -p "$WORK" "$RESULTS"
chmod 755 "$WORK" "$(dirname "$WORK")"
CONSOLE_DATA=$WORK/console
CONSOLE_LOG=$WORK/console.log
CONSOLE_JFR=""
[ "${BENCH_JFR:-0}" = 1 ] && CONSOLE_JFR=$WORK/console.jfr
OPERATOR_PORT=$(free_port)
AGENT_PORT=$(free_port)
MASTER_KEY=$(head -c 32 /dev/urandom | base64)
ADMIN_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
( umask 077; printf '%s\n' "$ADMIN_PASSWORD" >"$WORK/admin-password" )

SAMPLER_PID=""
SIM_PID=""
cleanup() {
  local code=$?
  trap - EXIT INT TERM
  [ -n "$SAMPLER_PID" ] && kill "$SAMPLER_PID" 2>/dev/null || true
  [ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null || true
  [ -n "$SIM_PID" ] && wait "$SIM_PID" 2>/dev/null || true
  exec 3>&- 2>/dev/null || true
  stop_console
  stop_postgres
  [ "$code" = 0 ] || bench_log "failed; logs are in $WORK"
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

MACHINE=$(machine_json)
bench_log "$scenario: $COUNT sensors; load average at start $(jq -r '.loadAverageAtStart | join(" ")' <<<"$MACHINE"); work dir $WORK"
started_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)

start_postgres "$WORK/pg"
bench_log "PostgreSQL on port $PG_PORT"
start_console
bench_log "console pid $CONSOLE_PID: operator https://127.0.0.1:$OPERATOR_PORT, agent plane 127.0.0.1:$AGENT_PORT"
sampler "$SAMPLE_SECONDS" &
SAMPLER_PID=$!

# Loopback source addresses for the simulated sensors: each gives another ~28,000 ephemeral ports.
bind_addresses=$(seq -s, -f '127.0.0.%g' 2 $((2 + (COUNT - 1) / 10000)))

sim_args=(simulate --count "$COUNT" --console "https://127.0.0.1:$OPERATOR_PORT"
  --operator-cert "$CONSOLE_DATA/tls/operator-cert.pem" --admin-password-file "$WORK/admin-password"
  --report "$WORK/simulator.json" --client-keepalive-seconds "$KEEPALIVE" --bind-addresses "$bind_addresses"
  --enroll-concurrency "$ENROLL_CONCURRENCY" --name-prefix "bench" --progress-seconds 10)
[ -n "$INTERVAL" ] && sim_args+=(--interval-seconds "$INTERVAL")

# run_simulator ARGS… : in the background, its pid recorded for the sampler
run_simulator() {
  # shellcheck disable=SC2086
  "$JAVA_HOME/bin/java" "-Xmx$SIM_HEAP" ${BENCH_SIM_JAVA_OPTS:-} -jar "$AGENT_JAR" "${sim_args[@]}" "$@" \
    >"$WORK/simulator.log" 2>&1 &
  SIM_PID=$!
  echo "$SIM_PID" >"$WORK/simulator.pid"
}

await_simulator() {
  local limit=$1
  for _ in $(seq 1 $((limit * 2))); do
    kill -0 "$SIM_PID" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$SIM_PID" 2>/dev/null; then
    kill "$SIM_PID"; wait "$SIM_PID" 2>/dev/null || true
    bench_die "the simulator did not finish within $limit s; see $WORK/simulator.log"
  fi
  local code=0
  wait "$SIM_PID" || code=$?
  SIM_PID=""
  [ "$code" = 0 ] || { tail -n 5 "$WORK/simulator.log" >&2; bench_die "the simulator failed (exit $code); see $WORK/simulator.log"; }
}

# await_event PATTERN LIMIT_SECONDS -> 0 when the simulator printed it in time
await_event() {
  for _ in $(seq 1 $(($2 * 4))); do
    grep -q "^event $1" "$WORK/simulator.log" 2>/dev/null && return 0
    kill -0 "$SIM_PID" 2>/dev/null || bench_die "the simulator stopped; see $WORK/simulator.log"
    sleep 0.25
  done
  return 1
}

# Enrollment of COUNT sensors takes a while before any heartbeat: allow for 100 per second at worst.
enroll_allowance=$((COUNT / 100 + 120))
extra='{}'
# BENCH_HEAP_HISTOGRAM=1: a class histogram of the console halfway through the measured phase (it
# forces a full GC, so it costs the latency figures a pause: for investigation runs only).
histogram_midway() {
  await_event_line "phase steady" $((enroll_allowance + RAMP + WARMUP + 60)) || return 0
  sleep $((DURATION / 2))
  "$JAVA_HOME/bin/jcmd" "$CONSOLE_PID" GC.class_histogram 2>/dev/null | head -n 45 >"$WORK/console-histogram.txt" || true
}
await_event_line() {
  for _ in $(seq 1 $(($2 * 4))); do
    grep -q "$1" "$WORK/simulator.log" 2>/dev/null && return 0
    sleep 0.25
  done
  return 1
}

case "$scenario" in
  heartbeat-*)
    run_simulator --ramp-seconds "$RAMP" --warmup-seconds "$WARMUP" --duration-seconds "$DURATION"
    if [ "${BENCH_HEAP_HISTOGRAM:-0}" = 1 ]; then histogram_midway & fi
    await_simulator $((enroll_allowance + RAMP + WARMUP + DURATION + 120))
    ;;
  enrollment-burst)
    run_simulator --enroll-only --replay-fraction 0.05
    await_simulator "$enroll_allowance"
    ;;
  reconnect-storm-*)
    mkfifo "$WORK/control"
    run_simulator --control-stdin --ramp-seconds "$RAMP" --duration-seconds 0 <"$WORK/control"
    exec 3>"$WORK/control"
    await_event "all-reported phase=ramp" $((enroll_allowance + RAMP + 60)) \
      || bench_die "not every sensor reported during the ramp; see $WORK/simulator.log"
    echo "phase steady" >&3
    sleep "$STEADY_BEFORE_RESTART"
    echo "phase outage" >&3
    kill_ms=$(date +%s%3N)
    bench_log "restarting the console"
    stop_console
    start_console
    ready_ms=$(date +%s%3N)
    echo "phase recovery" >&3
    bench_log "console back after $(((ready_ms - kill_ms) / 1000)) s (pid $CONSOLE_PID); waiting for every sensor"
    recovered=true
    await_event "all-reported phase=recovery" "$RECOVERY_LIMIT" || recovered=false
    echo "phase settled" >&3
    sleep 30
    echo "stop" >&3
    exec 3>&-
    await_simulator 60
    extra=$(jq -n --argjson kill "$kill_ms" --argjson ready "$ready_ms" --argjson recovered "$recovered" \
      '{consoleStoppedAtEpochMs: $kill, consoleReadyAtEpochMs: $ready, restartMs: ($ready - $kill),
        allRecoveredWithinLimit: $recovered}')
    ;;
esac

kill "$SAMPLER_PID" 2>/dev/null || true
wait "$SAMPLER_PID" 2>/dev/null || true
SAMPLER_PID=""

# ---- database checks: tokens, sensors, serials --------------------------------------------
checks=$(jq -n \
  --arg sensors "$(psql_value "select count(*) from sensors")" \
  --arg used "$(psql_value "select count(*) from enrollment_tokens where used_at is not null")" \
  --arg tokens_twice "$(psql_value "select count(*) from (select enrolled_with_token from sensors group by 1 having count(*) > 1) d")" \
  --arg dup_sensor_serials "$(psql_value "select count(*) from (select certificate_serial from sensors group by 1 having count(*) > 1) d")" \
  --arg certificates "$(psql_value "select count(*) from sensor_certificates")" \
  --arg by_state "$(psql_value "select coalesce(json_object_agg(connectivity, n), '{}') from (select connectivity, count(*) n from sensors group by 1) s")" \
  '{sensorsInDatabase: ($sensors|tonumber), tokensUsed: ($used|tonumber), tokensUsedByTwoSensors: ($tokens_twice|tonumber),
    duplicateSerialsInDatabase: ($dup_sensor_serials|tonumber), certificatesIssued: ($certificates|tonumber),
    sensorsByConnectivity: ($by_state|fromjson)}')

stop_console
finished_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)

# ---- result ------------------------------------------------------------------------------------
result=$RESULTS/$scenario-$STAMP
jq -s '.' "$WORK/samples.jsonl" >"$WORK/samples.json" 2>/dev/null || echo '[]' >"$WORK/samples.json"
jq -n --arg scenario "$scenario" --arg started "$started_at" --arg finished "$finished_at" \
  --arg command "bench/run.sh $scenario" --arg commit "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  --arg dirty "$(git -C "$ROOT" status --porcelain 2>/dev/null | grep -qv '^??' && echo true || echo false)" \
  --argjson machine "$MACHINE" --argjson checks "$checks" --argjson extra "$extra" \
  --slurpfile sim "$WORK/simulator.json" --slurpfile samples "$WORK/samples.json" \
  --arg heap "$CONSOLE_HEAP" --arg simheap "$SIM_HEAP" --arg jfr "$CONSOLE_JFR" --arg work "$WORK" \
  --arg env "$(env | grep '^BENCH_' | sort | tr '\n' ' ')" \
  -f "$ROOT/bench/lib/result.jq" >"$result.json"
jq -r -f "$ROOT/bench/lib/summary.jq" "$result.json" >"$result.txt"
cat "$result.txt"
bench_log "result: $result.json (logs and samples: $WORK)"
