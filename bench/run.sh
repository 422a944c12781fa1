#!/usr/bin/env bash
# Runs one benchmark scenario of the scale targets (docs/benchmarks.md) against the packaged console and a throwaway PostgreSQL,
# with simulated sensors (fleet-simulator), and writes bench/results/<scenario>-<time>.json
# plus a human summary (.txt) next to it. See docs/benchmarks.md.
#
#   bench/run.sh list                 the scenarios
#   bench/run.sh heartbeat-10k        one scenario
#   bench/run.sh plot RESULT.json…    (re)draws the SVG of results (every run draws its own)
#
# Knobs (environment, all optional): BENCH_COUNT (sensors), BENCH_DURATION (measured seconds),
# BENCH_WARMUP, BENCH_RAMP, BENCH_INTERVAL (heartbeat interval override), BENCH_KEEPALIVE (client
# keep-alive seconds, 0 = connection per heartbeat), BENCH_CONSOLES (console instances on the one
# database, one simulator each), BENCH_CONSOLE_HEAP (default 1g), BENCH_SIM_HEAP, BENCH_JFR=1
# (record the consoles with JFR), BENCH_HEAP_HISTOGRAM=1, BENCH_CONSOLE_JAVA_OPTS,
# BENCH_SIM_JAVA_OPTS, BENCH_MAX_CONNECTING (heartbeat connections a simulator opens at once), BENCH_ENROLL_CONCURRENCY, BENCH_ENROLL_ALLOWANCE (enrollment time limit, s), BENCH_WORK (scratch directory),
# BENCH_SAMPLE_SECONDS (default 5), BENCH_NICE (scheduling priority of the whole run, e.g. -10),
# BENCH_CONSOLE_JAR (another console build, e.g. of a branch), BENCH_CONSOLE_AOT=0 (consoles without an
# ahead-of-time cache), BENCH_AOT_DIR (where the caches are kept across runs), BENCH_AGENT_JAVA_OPTS (agent-footprint:
# JVM options instead of the launcher's).
# Console settings pass through the environment as usual, e.g.
# SENSORFLEET_AGENT_PLANE_TLS_ENGINE=jdk.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../deploy/find-java.sh
. "$ROOT/deploy/find-java.sh"
sensorfleet_use_java jdk || exit 1
# shellcheck source=lib/env.sh
. "$ROOT/bench/lib/env.sh"
# shellcheck source=lib/workloads.sh
. "$ROOT/bench/lib/workloads.sh"
# shellcheck source=lib/probe.sh
. "$ROOT/bench/lib/probe.sh"
# shellcheck source=lib/agent-footprint.sh
. "$ROOT/bench/lib/agent-footprint.sh"

usage() {
  cat >&2 <<USAGE
usage: bench/run.sh <scenario>|list|plot RESULT.json…
scenarios:
  heartbeat-10k        10,000 sensors, 30 s heartbeats over kept-alive mTLS connections; steady state measured
  heartbeat-50k        50,000 sensors, 30 s heartbeats over kept-alive mTLS connections, spread over 3 console
                       instances on one database (this machine allows 20,000 open files per process)
  heartbeat-100k       100,000 sensors, 30 s heartbeats for 30 minutes, spread over 6 console instances on one
                       database (20,000 open files per process here); memory must stay flat
  enrollment-burst     20,000 enrollments as fast as the console takes them, after 20,000 unmeasured; 5 % of tokens replayed at once
  reconnect-storm-10k  10,000 connected sensors, console restarted; time until all report again
  reconnect-storm-50k  50,000 connected sensors on 3 console instances (open-files limit), all restarted at
                       once; time until all report again
  settings-push-10k    10,000 sensors long-polling their settings (2 console instances); one global change,
                       time until each sensor acknowledged it
  settings-push-50k    the same with 50,000 sensors on 6 console instances (two connections per sensor, 20,000
                       open files per process); target: 99 % acknowledged within 5 s
  backup-upload-20x500mb  1,000 heartbeating sensors; 20 of them asked for a backup at once, each uploads 500 MB
  forwarding-burst     1,000 sensors; 500 of them send 1,000 alerts/s for 30 s, forwarded to a webhook that
                       answers in 500 ms; nothing may be lost
  forwarding-5000      6,000 sensors; 5,000 of them send 5,000 alerts/s for 60 s, forwarded to a webhook that
                       answers in 500 ms, in batches of up to 100 alerts a request; nothing lost, no duplicate
  agent-footprint      one real agent (launcher defaults) idle for 10 min at the default heartbeat interval:
                       its RSS, heap, CPU and connections to the console over time
USAGE
}

# BENCH_NICE=-10 (as root): the benchmark and everything it starts get CPU before other work on a
# shared machine; the value is recorded in the result's environment.
if [ -n "${BENCH_NICE:-}" ]; then
  renice -n "$BENCH_NICE" -p $$ >/dev/null || bench_die "cannot renice to $BENCH_NICE (needs root for negative values)"
fi

scenario=${1:-}
# plot RESULT.json…: the SVG next to each result (latency, CPU, memory, operations per second over time)
if [ "$scenario" = plot ]; then
  shift
  [ $# -ge 1 ] || bench_die "usage: bench/run.sh plot RESULT.json…"
  for result_file in "$@"; do
    "$JAVA_HOME/bin/java" "$ROOT/bench/lib/BenchPlot.java" "$result_file" || bench_die "cannot plot $result_file"
  done
  exit 0
fi
case "$scenario" in
  list|-h|--help) usage; exit 0 ;;
  "") usage; exit 2 ;;
  heartbeat-10k|heartbeat-50k|heartbeat-100k|enrollment-burst|reconnect-storm-10k|reconnect-storm-50k) ;;
  settings-push-10k|settings-push-50k|backup-upload-20x500mb|forwarding-burst|forwarding-5000|agent-footprint) ;;
  *) usage; bench_die "unknown scenario '$scenario' (bench/run.sh list)" ;;
esac

tools=(jq curl psql getconf pgrep top)
[ "$scenario" != agent-footprint ] || tools+=(ss)
for tool in "${tools[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || bench_die "'$tool' is needed (Debian: apt-get install jq curl postgresql-client procps)"
done
CONSOLE_JAR=${BENCH_CONSOLE_JAR:-$ROOT/console-service/target/quarkus-app/quarkus-run.jar}
AGENT_JAR=$ROOT/sensor-agent/target/sensor-agent.jar
SIMULATOR_JAR=$ROOT/fleet-simulator/target/fleet-simulator.jar
[ -f "$CONSOLE_JAR" ] && [ -f "$AGENT_JAR" ] && [ -f "$SIMULATOR_JAR" ] || bench_die "build first: ./mvnw -B -q -DskipTests package"

# ---- scenario parameters ---------------------------------------------------------------------
consoles=1
# heartbeat connections a simulator opens at once at most (0 = no limit)
max_connecting=0
# forwarding: offered alerts/s, sensors sending them, the webhook action's batchMaxEvents
ALERT_RATE=1000; ALERT_SENSORS=500; WEBHOOK_BATCH=1
case "$scenario" in
  heartbeat-10k) count=10000; keepalive=300; ramp=60; warmup=30; duration=180 ;;
  heartbeat-50k) count=50000; keepalive=300; ramp=240; warmup=30; duration=180; consoles=3 ;;
  # 16 connections opened at once per simulator: 100,000 handshakes at once would time out and be
  # retried (two runs collapsed that way); the ramp then lasts as long as this machine needs
  heartbeat-100k) count=100000; keepalive=300; ramp=600; warmup=120; duration=1800; consoles=6; max_connecting=16 ;;
  # warmup = sensors enrolled first, unmeasured: the measured 20,000 meet compiled code on both sides
  # (in a burst on a console just started, its C2 compiler used 28 % of its CPU throughout; after
  # 5,000 still 26 %, after 20,000 about 8 %)
  enrollment-burst) count=20000; keepalive=300; ramp=0; warmup=20000; duration=0 ;;
  reconnect-storm-10k) count=10000; keepalive=300; ramp=60; warmup=0; duration=0 ;;
  # 64 reconnections under way per simulator at most: without a bound the three simulators (one
  # core between them) started 50,000 resumed handshakes at once, lagged 48 s (p99) and their
  # handshakes were cut by the consoles (reconnect-storm-50k-20261205T110656Z)
  reconnect-storm-50k) count=50000; keepalive=300; ramp=240; warmup=0; duration=0; consoles=3; max_connecting=64 ;;
  # warmup = the unmeasured steady time before the change; duration = how long to wait for every acknowledgement
  settings-push-10k) count=10000; keepalive=300; ramp=150; warmup=20; duration=60; consoles=2 ;;
  # 100,000 first handshakes (heartbeat and long-poll per sensor) take this machine ~600 s at best
  settings-push-50k) count=50000; keepalive=300; ramp=660; warmup=20; duration=120; consoles=6; max_connecting=16 ;;
  # warmup = heartbeat baseline before the uploads; duration = how long to wait for the uploads
  backup-upload-20x500mb) count=1000; keepalive=300; ramp=30; warmup=60; duration=900 ;;
  # warmup = steady time before the burst; duration = the burst
  forwarding-burst) count=1000; keepalive=300; ramp=30; warmup=10; duration=30 ;;
  # 1 alert/s per sender: each sender waits for the console's answer (a group commit, ~0.5 s on the busy
  # machine in the first run) before its next alert, so 2,500 senders at 2/s offered only ~3,600/s
  forwarding-5000) count=6000; keepalive=300; ramp=30; warmup=10; duration=60
    ALERT_RATE=5000; ALERT_SENSORS=5000; WEBHOOK_BATCH=100 ;;
  # one real agent, no simulator; duration = how long it is sampled
  agent-footprint) count=1; keepalive=0; ramp=0; warmup=0; duration=600 ;;
esac
COUNT=${BENCH_COUNT:-$count}
KEEPALIVE=${BENCH_KEEPALIVE:-$keepalive}
RAMP=${BENCH_RAMP:-$ramp}
WARMUP=${BENCH_WARMUP:-$warmup}
DURATION=${BENCH_DURATION:-$duration}
CONSOLES=${BENCH_CONSOLES:-$consoles}
INTERVAL=${BENCH_INTERVAL:-}
MAX_CONNECTING=${BENCH_MAX_CONNECTING:-$max_connecting}
CONSOLE_HEAP=${BENCH_CONSOLE_HEAP:-1g}
SIM_HEAP=${BENCH_SIM_HEAP:-1500m}
ENROLL_CONCURRENCY=${BENCH_ENROLL_CONCURRENCY:-64}
SAMPLE_SECONDS=${BENCH_SAMPLE_SECONDS:-5}
STEADY_BEFORE_RESTART=${BENCH_STEADY_BEFORE_RESTART:-60}
RECOVERY_LIMIT=${BENCH_RECOVERY_LIMIT:-120}
for v in COUNT KEEPALIVE RAMP WARMUP DURATION CONSOLES MAX_CONNECTING ENROLL_CONCURRENCY SAMPLE_SECONDS; do
  [[ ${!v} =~ ^[0-9]+$ ]] || bench_die "$v must be a whole number, not '${!v}'"
done
[ "$CONSOLES" -ge 1 ] || bench_die "BENCH_CONSOLES must be at least 1"
per_process=$(( (COUNT + CONSOLES - 1) / CONSOLES ))
# Every reporting sensor holds a connection, i.e. a file descriptor in the console and in its simulator;
# a sensor that also long-polls its settings holds two.
per_sensor=1
case "$scenario" in settings-push-*) per_sensor=2 ;; esac
[ "$scenario" = enrollment-burst ] || [ $((per_process * per_sensor)) -lt $(( $(ulimit -n) - 500 )) ] \
  || bench_die "$per_process sensors per console exceed the open-files limit ($(ulimit -n)): raise BENCH_CONSOLES"

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
WORK=${BENCH_WORK:-/var/tmp/sensorfleet-bench}/$scenario-$STAMP
RESULTS=$ROOT/bench/results
mkdir -p "$WORK" "$RESULTS"
# The console accepts only / a-z A-Z 0-9 _ in its backup directory; every instance uses the same one.
BACKUP_DIR=/var/tmp/sensorfleet_bench_backups/$STAMP
chmod 755 "$WORK" "$(dirname "$WORK")"
MASTER_KEY=$(head -c 32 /dev/urandom | base64)
ADMIN_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
( umask 077; printf '%s\n' "$ADMIN_PASSWORD" >"$WORK/admin-password" )
for i in $(seq 0 $((CONSOLES - 1))); do
  OPERATOR_PORTS[i]=$(free_port)
  AGENT_PORTS[i]=$(free_port)
done
printf '%s\n' "${OPERATOR_PORTS[@]}" >"$WORK/operator.ports"

SAMPLER_PID=""
SINK_PID=""
AGENT_PID=""
SIM_PIDS=()
cleanup() {
  local code=$? pid i
  trap - EXIT INT TERM
  [ -n "$SAMPLER_PID" ] && kill "$SAMPLER_PID" 2>/dev/null || true
  [ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null || true
  [ -n "$AGENT_PID" ] && kill "$AGENT_PID" 2>/dev/null || true
  for pid in "${SIM_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${SIM_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  exec 3>&- 2>/dev/null || true
  for i in "${!CONSOLE_PIDS[@]}"; do stop_console "$i"; done
  stop_postgres
  rm -rf "$BACKUP_DIR"
  [ "$code" = 0 ] || bench_log "failed; logs are in $WORK"
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

MACHINE=$(machine_json)
bench_log "$scenario: $COUNT sensors on $CONSOLES console(s); load average at start $(jq -r '.loadAverageAtStart | join(" ")' <<<"$MACHINE"); work dir $WORK"
started_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)

start_postgres "$WORK/pg"
bench_log "PostgreSQL on port $PG_PORT"
# One after the other: the first creates the CA and the admin, the others find them.
for i in $(seq 0 $((CONSOLES - 1))); do
  start_console "$i"
  bench_log "console $i pid ${CONSOLE_PIDS[i]}: operator https://127.0.0.1:${OPERATOR_PORTS[i]}, agent plane 127.0.0.1:${AGENT_PORTS[i]}"
done
agent_plane=$(grep -m 1 -o "Agent plane listening.*" "$WORK/console-0.log" || true)
sampler "$SAMPLE_SECONDS" &
SAMPLER_PID=$!

if [ "$scenario" = agent-footprint ]; then
  run_agent_footprint
  exit 0
fi

# Loopback source addresses for one simulator's sensors: its own (127.0.<shard+1>.2, …), one per
# 10,000 of its sensors. A socket bound before it connects needs a port free on its address for any
# destination, so all the connections on one address share its ~28,000 ephemeral ports (and those
# in TIME_WAIT): with every simulator on the same two addresses, 100,000 sensors exhausted them and
# the kernel's search for a free port in bind() took most of the machine's CPU.
bind_addresses() { seq -s, -f "127.0.$(($1 + 1)).%g" 2 $((2 + (per_process - 1) / 10000)); }

# simulate SHARD ARGS… : one simulator process in the background, for console SHARD's sensors
simulate() {
  local shard=$1; shift
  local n=$per_process
  [ "$shard" -lt $((CONSOLES - 1)) ] || n=$((COUNT - per_process * (CONSOLES - 1)))
  local args=(--count "$n" --console "https://127.0.0.1:${OPERATOR_PORTS[shard]}"
    --operator-cert "$WORK/console-$shard/tls/operator-cert.pem" --admin-password-file "$WORK/admin-password"
    --identities "$WORK/identities-$shard.json" --client-keepalive-seconds "$KEEPALIVE"
    --bind-addresses "$(bind_addresses "$shard")" --enroll-concurrency "$ENROLL_CONCURRENCY" --name-prefix "bench$shard"
    --progress-seconds 10)
  [ -n "$INTERVAL" ] && args+=(--interval-seconds "$INTERVAL")
  [ "$MAX_CONNECTING" -gt 0 ] && args+=(--max-connecting "$MAX_CONNECTING")
  # shellcheck disable=SC2086
  # Standard input passed on explicitly: a background job would otherwise read /dev/null (the control FIFO).
  # Thread priorities reach the operating system (nice 19 for Java's lowest; LOWER_ONLY: env.sh):
  # the simulated backup uploads run there, so that they do not delay the heartbeating sensors'
  # threads (BackupUploaders).
  "$JAVA_HOME/bin/java" "-Xmx$SIM_HEAP" -XX:ThreadPriorityPolicy=1 -XX:JavaPriority1_To_OSPriority=19 "${LOWER_ONLY[@]}" \
    ${BENCH_SIM_JAVA_OPTS:-} -jar "$SIMULATOR_JAR" "${args[@]}" "$@" \
    <&0 >>"$WORK/simulator-$shard.log" 2>&1 &
  SIM_PIDS+=($!)
  printf '%s\n' "${SIM_PIDS[@]}" >"$WORK/simulator.pids"
}

# Waits for every simulator started; fails if one fails or runs past LIMIT seconds.
await_simulators() {
  local limit=$1 pid code failed=""
  for _ in $(seq 1 $((limit * 2))); do
    local alive=0
    for pid in "${SIM_PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 1 ] || break
    sleep 0.5
  done
  for pid in "${SIM_PIDS[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid"; failed="did not finish within $limit s"
    fi
    code=0; wait "$pid" || code=$?
    [ "$code" = 0 ] || failed=${failed:-"exited with $code"}
  done
  SIM_PIDS=()
  : >"$WORK/simulator.pids"
  [ -z "$failed" ] || { tail -n 3 "$WORK"/simulator-*.log >&2; bench_die "a simulator $failed; see $WORK/simulator-*.log"; }
}

# await_event PATTERN LIMIT_SECONDS [SHARD] -> 0 when simulator SHARD (default 0) printed it in time
await_event() {
  local shard=${3:-0}
  for _ in $(seq 1 $(($2 * 4))); do
    grep -q "^event $1" "$WORK/simulator-$shard.log" 2>/dev/null && return 0
    kill -0 "${SIM_PIDS[shard]}" 2>/dev/null || bench_die "the simulator stopped; see $WORK/simulator-$shard.log"
    sleep 0.25
  done
  return 1
}

# The agent plane's TLS session ticket counters, summed over the console instances, as JSON.
tls_ticket_counts() {
  local port
  api_login
  for port in "${OPERATOR_PORTS[@]}"; do
    curl -ksf --max-time 5 -H "Authorization: Bearer $(cat "$WORK/api-token")" "https://127.0.0.1:$port/q/metrics" || true
  done | awk '/^sensorfleet_agent_plane_tls_tickets_total\{/ { match($0, /outcome="[^"]*"/);
      o = substr($0, RSTART + 9, RLENGTH - 10); n[o] += $NF }
    END { printf "{"; sep = ""; for (o in n) { printf "%s\"%s\": %d", sep, o, n[o]; sep = ", " } printf "}" }'
}

# BENCH_HEAP_HISTOGRAM=1: a class histogram of console 0 halfway through the measured phase (it
# forces a full GC, so it costs the latency figures a pause: for investigation runs only).
histogram_midway() {
  for _ in $(seq 1 $(((RAMP + WARMUP + 120) * 4))); do
    grep -q "phase steady" "$WORK/simulator-0.log" 2>/dev/null && break
    sleep 0.25
  done
  sleep $((DURATION / 2))
  "$JAVA_HOME/bin/jcmd" "${CONSOLE_PIDS[0]}" GC.class_histogram 2>/dev/null | head -n 45 >"$WORK/console-histogram.txt" || true
}

# Enrollment first, every simulator at once, keeping identities; then the heartbeat runs start
# together from those identities, so the phases of all simulators line up.
# At least 50/s per simulator, and 100/s for all of them together (they share the console's CPU).
enroll_allowance=$((per_process / 50 + 120))
[ "$enroll_allowance" -ge $((COUNT / 100 + 120)) ] || enroll_allowance=$((COUNT / 100 + 120))
enroll_allowance=${BENCH_ENROLL_ALLOWANCE:-$enroll_allowance}
replay=0
enroll_warmup=()
if [ "$scenario" = enrollment-burst ]; then
  replay=0.05
  enroll_warmup=(--enroll-warmup "$WARMUP")
  enroll_allowance=$((enroll_allowance + WARMUP / 100))
fi
for i in $(seq 0 $((CONSOLES - 1))); do
  simulate "$i" --enroll-only --replay-fraction "$replay" "${enroll_warmup[@]}" --report "$WORK/enroll-$i.json"
done
await_simulators "$enroll_allowance"
bench_log "enrolled: $(jq -s 'map(.enrollment.enrolled) | add' "$WORK"/enroll-*.json) sensors"

extra='{}'
case "$scenario" in
  heartbeat-*)
    for i in $(seq 0 $((CONSOLES - 1))); do
      simulate "$i" --ramp-seconds "$RAMP" --warmup-seconds "$WARMUP" --duration-seconds "$DURATION" \
        --report "$WORK/run-$i.json"
    done
    if [ "${BENCH_HEAP_HISTOGRAM:-0}" = 1 ]; then histogram_midway & fi
    await_simulators $((RAMP + WARMUP + DURATION + 120))
    ;;
  reconnect-storm-*)
    # One control FIFO per simulator, opened read-write so opening it does not wait for a reader;
    # each simulator gets its own as standard input.
    CONTROL_FDS=()
    for i in $(seq 0 $((CONSOLES - 1))); do
      mkfifo "$WORK/control-$i"
      exec {fd}<>"$WORK/control-$i"
      CONTROL_FDS[i]=$fd
      # --watch-connection: each simulated sensor reacts to the restart as the agent does (its work
      # long-poll notices the console closing, reconnects with the work loop's backoff, and the
      # heartbeat goes out as soon as the console answers), instead of waiting for its next turn.
      simulate "$i" --control-stdin --watch-connection --ramp-seconds "$RAMP" --duration-seconds 0 \
        --report "$WORK/run-$i.json" <&"$fd"
    done
    control() { local fd; for fd in "${CONTROL_FDS[@]}"; do echo "$1" >&"$fd"; done; }
    for i in $(seq 0 $((CONSOLES - 1))); do
      await_event "all-reported phase=ramp" $((RAMP + 60)) "$i" \
        || bench_die "not every sensor reported during the ramp; see $WORK/simulator-$i.log"
    done
    control "phase steady"
    sleep "$STEADY_BEFORE_RESTART"
    control "phase outage"
    kill_ms=$(date +%s%3N)
    bench_log "restarting the console(s)"
    # Every instance at once (stopped together, started together), as after an upgrade or a power cut.
    for i in $(seq 0 $((CONSOLES - 1))); do kill -TERM "${CONSOLE_PIDS[i]}" 2>/dev/null || true; done
    for i in $(seq 0 $((CONSOLES - 1))); do stop_console "$i"; done
    for i in $(seq 0 $((CONSOLES - 1))); do start_console "$i" nowait; done
    for i in $(seq 0 $((CONSOLES - 1))); do await_console "$i"; done
    ready_ms=$(date +%s%3N)
    # Sensors already back on the restarted console (a connection opened during the outage, still
    # open, answered) count as back from the moment it is ready: its agent plane answers before its
    # readiness check does, and those sensors' next heartbeat is a whole interval away.
    control "phase recovery with-reconnected"
    bench_log "console(s) back after $(((ready_ms - kill_ms) / 1000)) s (pids ${CONSOLE_PIDS[*]}); waiting for every sensor"
    recovered=true
    recovery_start=$(date +%s)
    for i in $(seq 0 $((CONSOLES - 1))); do
      left=$((RECOVERY_LIMIT - ($(date +%s) - recovery_start)))
      [ "$left" -gt 0 ] && await_event "all-reported phase=recovery" "$left" "$i" || recovered=false
    done
    # TLS session tickets since the restart (the counters start at zero with each instance): how
    # many reconnections resumed instead of a full handshake.
    tickets=$(tls_ticket_counts)
    control "phase settled"
    sleep 30
    control "stop"
    for fd in "${CONTROL_FDS[@]}"; do exec {fd}>&-; done
    await_simulators 60
    extra=$(jq -n --argjson kill "$kill_ms" --argjson ready "$ready_ms" --argjson recovered "$recovered" \
      --argjson tickets "$tickets" \
      '{consoleStoppedAtEpochMs: $kill, consoleReadyAtEpochMs: $ready, restartMs: ($ready - $kill),
        allRecoveredWithinLimit: $recovered, tlsTicketsSinceRestart: $tickets}')
    ;;
  settings-push-*) run_settings_push; extra=$EXTRA ;;
  backup-upload-*) run_backup_uploads; extra=$EXTRA ;;
  forwarding-*) run_forwarding_burst; extra=$EXTRA ;;
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

for i in "${!CONSOLE_PIDS[@]}"; do stop_console "$i"; done
finished_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)

# ---- result ------------------------------------------------------------------------------------
result=$RESULTS/$scenario-$STAMP
jq -n --slurpfile enroll <(cat "$WORK"/enroll-*.json) --slurpfile run <(cat "$WORK"/run-*.json 2>/dev/null || true) \
  '{enroll: $enroll, run: $run}' | jq -f "$ROOT/bench/lib/merge.jq" >"$WORK/simulator.json"
jq -s '.' "$WORK/samples.jsonl" >"$WORK/samples.json" 2>/dev/null || echo '[]' >"$WORK/samples.json"
gc_pauses >"$WORK/gc-pauses.json" 2>/dev/null || echo '[]' >"$WORK/gc-pauses.json"
jq -n --arg scenario "$scenario" --arg started "$started_at" --arg finished "$finished_at" \
  --arg command "bench/run.sh $scenario" --arg commit "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  --arg dirty "$(git -C "$ROOT" status --porcelain 2>/dev/null | grep -qv '^??' && echo true || echo false)" \
  --argjson machine "$MACHINE" --argjson checks "$checks" --argjson extra "$extra" \
  --slurpfile sim "$WORK/simulator.json" --slurpfile samples "$WORK/samples.json" --slurpfile gc "$WORK/gc-pauses.json" \
  --arg heap "$CONSOLE_HEAP" --arg simheap "$SIM_HEAP" --arg jfr "$( [ "${BENCH_JFR:-0}" = 1 ] && echo "$WORK/console-*.jfr" )" \
  --arg work "$WORK" --arg consoles "$CONSOLES" --arg agentplane "$agent_plane" \
  --arg aot "$(cat "$WORK/aot-starts.log" 2>/dev/null || true)" \
  --arg env "$(env | grep '^BENCH_\|^SENSORFLEET_' | grep -v PASSWORD | sort | tr '\n' ' ')" \
  -f "$ROOT/bench/lib/result.jq" >"$result.json"
if [ "${BENCH_JFR:-0}" = 1 ]; then
  "$JAVA_HOME/bin/java" "$ROOT/bench/lib/JfrSummary.java" "$WORK/console-0.jfr" \
    "$(jq .measuredWindow.from "$result.json")" "$(jq .measuredWindow.to "$result.json")" >"$result-profile.txt" 2>&1 || true
fi
jq -r -f "$ROOT/bench/lib/summary.jq" "$result.json" >"$result.txt"
cat "$result.txt"
"$JAVA_HOME/bin/java" "$ROOT/bench/lib/BenchPlot.java" "$result.json" >/dev/null || bench_log "could not draw $result.svg"
bench_log "result: $result.json (logs and samples: $WORK)"
