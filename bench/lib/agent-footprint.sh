# The agent-footprint scenario, sourced by bench/run.sh after the console is up: one real agent
# (the launcher, with the JVM options it ships with) connected to the console and left idle at the
# console's default heartbeat interval for BENCH_DURATION seconds (default 600). Samples the agent's
# RSS (/proc/<pid>/status VmRSS), CPU (/proc/<pid>/stat utime+stime), heap (jstat: it reads the
# JVM's perf-data file and does not attach, so sampling costs the agent nothing) and TCP connections
# to the console (ss) every AGENT_SAMPLE_SECONDS (default 10); writes the result and exits.
# BENCH_AGENT_JAVA_OPTS replaces the launcher's JVM options (to compare settings).

run_agent_footprint() {
  local launcher=$ROOT/sensor-agent/bin/sensor-agent state=$WORK/agent every=${AGENT_SAMPLE_SECONDS:-10}
  local cs pid hz t0 now ticks rss heap conns i=0 samples=$WORK/agent-samples.jsonl
  hz=$(getconf CLK_TCK)
  # The commit measured is the one the run starts from (the tree may move on during 10 minutes).
  FOOTPRINT_COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
  cs=$(api POST /api/v1/connection-strings '{}' | jq -r .connectionString)
  [ -n "$cs" ] && [ "$cs" != null ] || bench_die "the console gave no connection string"
  export SENSORFLEET_JAVA=$JAVA_HOME/bin/java
  [ -z "${BENCH_AGENT_JAVA_OPTS+x}" ] || export SENSORFLEET_JVM_OPTIONS=$BENCH_AGENT_JAVA_OPTS
  "$launcher" connect "$cs" --state-dir "$state" >"$WORK/agent-connect.log" 2>&1 \
    || { cat "$WORK/agent-connect.log" >&2; bench_die "the agent could not connect"; }
  # A first start (report, stop) before the measured one, so the measured run is a sensor's restart,
  # not its first boot (and a class-data sharing archive that BENCH_AGENT_JAVA_OPTS names is written).
  # INVOCATION_ID: started as systemd starts it, so the launcher execs the JVM (elsewhere it stays
  # its parent to restart it, and the pid sampled would be the launcher's shell).
  INVOCATION_ID=bench-agent-footprint "$launcher" run --state-dir "$state" >>"$WORK/agent-prime.log" 2>&1 &
  pid=$!
  AGENT_PID=$pid
  sleep "${AGENT_PRIME_SECONDS:-20}"
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  INVOCATION_ID=bench-agent-footprint "$launcher" run --state-dir "$state" >>"$WORK/agent.log" 2>&1 &
  pid=$!
  AGENT_PID=$pid
  # The java process the launcher exec'd into has the launcher's pid.
  bench_log "agent pid $pid; sampling every $every s for $DURATION s"
  t0=$(date +%s)
  : >"$samples"
  sleep 2
  while now=$(date +%s); [ $((now - t0)) -lt "$DURATION" ]; do
    kill -0 "$pid" 2>/dev/null || { tail -n 20 "$WORK/agent.log" >&2; bench_die "the agent exited"; }
    ticks=$(cpu_ticks "$pid"); rss=$(rss_kb "$pid")
    # Heap used: survivor + eden + old (KB), from jstat's -gc columns S0U S1U EU OU; metaspace MU.
    heap=$("$JAVA_HOME/bin/jstat" -gc "$pid" 2>/dev/null | awk 'NR==2{printf "%.0f %.0f %.0f", $3+$4+$6+$8, $10, $8}')
    conns=$(ss -tnpH state established 2>/dev/null | grep -c "pid=$pid," || true)
    jq -nc --argjson t "$((now - t0))" --argjson ticks "$ticks" --argjson hz "$hz" --argjson rss "${rss:-0}" \
      --arg heap "${heap:-}" --argjson conns "${conns:-0}" --arg load "$(cut -d' ' -f1 /proc/loadavg)" \
      '($heap | split(" ")) as $h |
       {t: $t, cpuSeconds: ($ticks / $hz), rssMb: ($rss / 1024 | . * 10 | round / 10),
        heapUsedMb: (if ($h | length) == 3 then ($h[0] | tonumber) / 1024 | . * 10 | round / 10 else null end),
        oldGenMb: (if ($h | length) == 3 then ($h[2] | tonumber) / 1024 | . * 10 | round / 10 else null end),
        metaspaceMb: (if ($h | length) == 3 then ($h[1] | tonumber) / 1024 | . * 10 | round / 10 else null end),
        consoleConnections: $conns, loadAverage: ($load | tonumber)}' >>"$samples"
    i=$((i + 1))
    sleep "$every"
  done
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  AGENT_PID=""
  agent_footprint_result "$samples" "${BENCH_AGENT_JAVA_OPTS-launcher default}"
}

# agent_footprint_result SAMPLES OPTIONS: bench/results/agent-footprint-<stamp>.json and .txt
agent_footprint_result() {
  local samples=$1 options=$2 result=$RESULTS/$scenario-$STAMP finished_at
  finished_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  jq -s --arg scenario "$scenario" --arg started "$started_at" --arg finished "$finished_at" \
    --arg command "bench/run.sh $scenario" --arg options "$options" --argjson machine "$MACHINE" \
    --arg commit "${FOOTPRINT_COMMIT:-unknown}" \
    --arg interval "$(jq -r .heartbeatIntervalSeconds "$WORK/agent/agent.json" 2>/dev/null || echo unknown)" \
    --arg loadend "$(cut -d' ' -f1-3 /proc/loadavg)" '
    def avg(f): (map(f) | add / length);
    def slope(f): (if length < 2 then 0 else
      ((.[-1] | f) - (.[0] | f)) / (((.[-1].t) - (.[0].t)) / 60) end);
    . as $all |
    # The first minute is start-up (class loading, JIT, TLS handshake): steady state is after it.
    ($all | map(select(.t >= 60))) as $steady |
    {scenario: $scenario, command: $command, commit: $commit, startedAt: $started, finishedAt: $finished,
     machine: ($machine + {loadAverageAtEnd: ($loadend | split(" ") | map(tonumber))}),
     agentJavaOptions: $options, heartbeatIntervalSeconds: $interval, samples: $all,
     summary: {
       durationSeconds: ($all[-1].t),
       rssMb: {first: $all[0].rssMb, steadyAverage: ($steady | avg(.rssMb) | . * 10 | round / 10),
               max: ($all | map(.rssMb) | max), last: $all[-1].rssMb,
               steadySlopeMbPerMinute: ($steady | slope(.rssMb) | . * 100 | round / 100)},
       heapUsedMb: {steadyAverage: ($steady | map(select(.heapUsedMb != null)) | avg(.heapUsedMb) | . * 10 | round / 10),
                    max: ($all | map(.heapUsedMb // 0) | max),
                    oldGenSlopeMbPerMinute: ($steady | map(select(.oldGenMb != null)) | slope(.oldGenMb) | . * 100 | round / 100)},
       metaspaceMb: $all[-1].metaspaceMb,
       cpuPercentOfOneCore: {
         wholeRun: ($all[-1].cpuSeconds / ($all[-1].t) * 100 | . * 1000 | round / 1000),
         steady: (if ($steady | length) >= 2 then (($steady[-1].cpuSeconds - $steady[0].cpuSeconds)
                  / ($steady[-1].t - $steady[0].t) * 100 | . * 1000 | round / 1000) else null end)},
       consoleConnections: {max: ($all | map(.consoleConnections) | max),
                            steadyMax: ($steady | map(.consoleConnections) | max)}}}' "$samples" >"$result.json"
  jq -r '"agent-footprint: one idle agent, heartbeat every \(.heartbeatIntervalSeconds) s, \(.summary.durationSeconds) s",
    "  JVM options: \(.agentJavaOptions)",
    "  RSS MB: first \(.summary.rssMb.first), steady average \(.summary.rssMb.steadyAverage), max \(.summary.rssMb.max), last \(.summary.rssMb.last), steady slope \(.summary.rssMb.steadySlopeMbPerMinute) MB/min",
    "  heap used MB: steady average \(.summary.heapUsedMb.steadyAverage), max \(.summary.heapUsedMb.max); old gen slope \(.summary.heapUsedMb.oldGenSlopeMbPerMinute) MB/min; metaspace \(.summary.metaspaceMb) MB",
    "  CPU % of one core: whole run \(.summary.cpuPercentOfOneCore.wholeRun), steady (after 60 s) \(.summary.cpuPercentOfOneCore.steady)",
    "  TCP connections to the console: max \(.summary.consoleConnections.max), steady max \(.summary.consoleConnections.steadyMax)",
    "  machine: load average \(.machine.loadAverageAtStart | join(" ")) at start, \(.machine.loadAverageAtEnd | join(" ")) at end; \(.machine.nproc) cores; busy \(.machine.machineBusyPercentAtStart) % at start"' \
    "$result.json" >"$result.txt"
  cat "$result.txt"
  "$JAVA_HOME/bin/java" "$ROOT/bench/lib/BenchPlot.java" "$result.json" >/dev/null || bench_log "could not draw $result.svg"
  bench_log "result: $result.json (logs and samples: $WORK)"
}
