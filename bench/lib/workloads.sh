# Scenarios with work beside heartbeats (settings push, backup uploads, forwarding burst), sourced
# by bench/run.sh after its helpers (simulate, await_simulators, SIM_PIDS, WORK, COUNT, CONSOLES…).
# Each run_* function drives the simulators through phases and sets EXTRA (JSON for the result).

# api_login: logs in once and keeps the token in $WORK/api-token (api runs in command substitutions,
# whose variables do not outlive them), so that no measured phase pays for a login: the password
# hash (PBKDF2, 600,000 rounds) costs the console a good part of a second of CPU.
api_login() {
  [ -s "$WORK/api-token" ] && return 0
  operator_token >"$WORK/api-token" && [ -s "$WORK/api-token" ] || bench_die "cannot log in to the console"
}

# api METHOD PATH [BODY] -> prints the answer body; fails on a status >= 300 (logs in again once on 401)
api() {
  local method=$1 path=$2 body=${3:-} out code try
  out=$(mktemp)
  for try in 1 2; do
    api_login
    code=$(curl -ks --max-time 30 -o "$out" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $(cat "$WORK/api-token")" \
      -H 'Content-Type: application/json' ${body:+--data "$body"} "https://127.0.0.1:${OPERATOR_PORTS[0]}$path")
    [ "$code" = 401 ] && [ "$try" = 1 ] || break
    rm -f "$WORK/api-token"
  done
  cat "$out"; rm -f "$out"
  [ "$code" -ge 200 ] && [ "$code" -lt 300 ] || bench_die "$method $path answered $code"
}

# One control FIFO per simulator: CONTROL_FDS[i] is what simulator i reads as standard input.
open_controls() {
  local i fd
  for i in $(seq 0 $((CONSOLES - 1))); do
    mkfifo "$WORK/control-$i"
    exec {fd}<>"$WORK/control-$i"
    CONTROL_FDS[i]=$fd
  done
}

control_all() {
  local fd
  for fd in "${CONTROL_FDS[@]}"; do echo "$1" >&"$fd"; done
}

close_controls() {
  local fd
  for fd in "${CONTROL_FDS[@]}"; do exec {fd}>&-; done
}

# await_event_all PATTERN LIMIT_SECONDS -> 0 when every simulator printed it in time
await_event_all() {
  local i missing
  for _ in $(seq 1 $(($2 * 4))); do
    missing=0
    for i in $(seq 0 $((CONSOLES - 1))); do
      grep -q "^event $1" "$WORK/simulator-$i.log" 2>/dev/null || missing=1
      kill -0 "${SIM_PIDS[i]}" 2>/dev/null || bench_die "simulator $i stopped; see $WORK/simulator-$i.log"
    done
    [ "$missing" = 1 ] || return 0
    sleep 0.25
  done
  return 1
}

# await_sql QUERY EXPECTED LIMIT_SECONDS -> 0 when the query returned EXPECTED in time
await_sql() {
  for _ in $(seq 1 $(($3 * 2))); do
    [ "$(psql_value "$1")" = "$2" ] && return 0
    sleep 0.5
  done
  return 1
}

# Starts every simulator under control with the given workload options; returns once all sensors reported.
start_controlled() {
  local i
  open_controls
  for i in $(seq 0 $((CONSOLES - 1))); do
    simulate "$i" --control-stdin --ramp-seconds "$RAMP" --duration-seconds 0 --report "$WORK/run-$i.json" "$@" \
      <&"${CONTROL_FDS[i]}"
  done
  # An overloaded machine may not get every sensor connected in time: the run goes on and its
  # result shows how many reported (phases' sensorsReported), rather than leaving no result at all.
  await_event_all "all-reported phase=ramp" $((RAMP + 90)) \
    || bench_log "warning: not every sensor reported during the ramp (see the ramp phase in the result)"
}

stop_controlled() {
  control_all stop
  close_controls
  await_simulators 90
}

# ---- settings push: one global change, time until every sensor acknowledged it ------------------
run_settings_push() {
  start_controlled --settings-poll
  bench_log "all sensors report; waiting for every sensor to acknowledge its current settings"
  local sensors
  sensors=$(psql_value "select count(*) from sensors")
  await_sql "select count(*) from sensors where applied_settings_revision = desired_settings_revision" "$sensors" 180 \
    || bench_log "warning: not every sensor acknowledged its first settings within 180 s"
  # Before the measured phases: the login's password hash is neither in the push's time nor in its profile.
  api_login
  control_all "phase steady"
  sleep "$WARMUP"
  control_all "phase push"
  local zone push_ms revision all_ms=null
  zone=$(printf '%s\n' Europe/Berlin America/New_York Asia/Tokyo | shuf -n 1)
  # Row updates of sensors and how many of them were HOT (touched no index), from the push until settled.
  local updates_sql="select n_tup_upd || ' ' || n_tup_hot_upd from pg_stat_user_tables where relname = 'sensors'"
  local updates_before updates_after
  updates_before=$(psql_value "$updates_sql")
  local mark_push mark_applied cpu=null
  mark_push=$(cpu_mark)
  push_ms=$(date +%s%3N)
  revision=$(api PATCH /api/v1/settings/global "{\"values\":{\"time.timeZone\":\"$zone\"}}" | jq .revision)
  bench_log "pushed time.timeZone=$zone as revision $revision; waiting for the acknowledgements"
  if await_sql "select count(*) from sensors where applied_settings_revision >= $revision" "$sensors" "$DURATION"; then
    all_ms=$(( $(date +%s%3N) - push_ms ))
    mark_applied=$(cpu_mark)
    cpu=$(cpu_between "$mark_push" "$mark_applied")
  fi
  control_all "phase settled"
  sleep 5
  updates_after=$(psql_value "$updates_sql")
  stop_controlled
  EXTRA=$(jq -n --argjson push "$push_ms" --argjson revision "$revision" --argjson all "$all_ms" \
    --arg before "$updates_before" --arg after "$updates_after" --argjson cpu "$cpu" \
    --arg acked "$(psql_value "select count(*) from sensors where applied_settings_revision >= $revision")" \
    --arg synced "$(psql_value "select count(*) from sensors where connectivity = 'SYNCED'")" \
    '{pushedAtEpochMs: $push, revision: $revision, allAcknowledgedInDatabaseAfterMs: $all,
      sensorsWithRevisionAppliedInDatabase: ($acked | tonumber), sensorsSynced: ($synced | tonumber),
      cpuFromPushUntilAllApplied: $cpu,
      sensorRowUpdatesFromPushUntilSettled: (($after | split(" ") | map(tonumber)) as $a
        | ($before | split(" ") | map(tonumber)) as $b
        | {all: ($a[0] - $b[0]), hot: ($a[1] - $b[1]), touchingIndexes: (($a[0] - $b[0]) - ($a[1] - $b[1]))})}')
}

# ---- backups: N concurrent uploads of SIZE MB beside heartbeating sensors --------------------------
run_backup_uploads() {
  local mb=${BENCH_BACKUP_MB:-500} n=${BENCH_BACKUP_SENSORS:-20} dd_mbps file ids collection started_ms done_ms=null probe
  local retained_before retained_after
  file=$WORK/backup-payload.bin
  bench_log "disk baseline: 2 GiB sequential write with fdatasync"
  dd_mbps=$(dd if=/dev/zero of="$WORK/dd.bin" bs=1M count=2048 conv=fdatasync 2>&1 | tail -n 1 \
    | awk '{for (i = 1; i < NF; i++) if ($(i+1) ~ /^[MG]B\/s$/) {v = $i; if ($(i+1) == "GB/s") v *= 1000; print v}}')
  rm -f "$WORK/dd.bin"
  bench_log "disk writes ${dd_mbps} MB/s; making a ${mb} MB payload"
  head -c "${mb}M" /dev/urandom >"$file"
  sync
  start_controlled --backup-file "$file" --backup-sensors "$n"
  retained_before=$(retained_heap_mb "${CONSOLE_PIDS[0]}")
  control_all "phase baseline"
  # The last sensor is not one of the uploaders; 10 heartbeats a second until the end of the run.
  probe_start $((COUNT - 1)) 10 $((WARMUP + DURATION + 60))
  sleep "$WARMUP"
  ids=$(jq -c --argjson n "$n" '[.sensors[0:$n][].sensorId]' "$WORK/identities-0.json")
  control_all "phase uploads"
  started_ms=$(date +%s%3N)
  collection=$(api POST /api/v1/backups/collections "{\"sensorIds\": $ids}" | jq -r ".collectionId // .id")
  bench_log "collection $collection: $n sensors asked for a backup of $mb MB each"
  if await_sql "select count(*) from backups where state = 'STORED' and size_bytes = $((mb * 1048576))" "$n" "$DURATION"; then
    done_ms=$(( $(date +%s%3N) - started_ms ))
  fi
  local uploads_end_ms; uploads_end_ms=$(date +%s%3N)
  control_all "phase after"
  sleep 15
  probe_stop
  retained_after=$(retained_heap_mb "${CONSOLE_PIDS[0]}")
  probe=$(probe_summary 10 "$(jq -nc --argjson t0 "$PROBE_T0_MS" --argjson s "$started_ms" --argjson e "$uploads_end_ms" \
    '{baseline: {from: $t0, to: $s}, uploads: {from: $s, to: $e}, after: {from: $e, to: ($e + 15000)}}')")
  stop_controlled
  EXTRA=$(jq -n --argjson dd "${dd_mbps:-null}" --argjson started "$started_ms" --argjson done "$done_ms" \
    --argjson probe "$probe" --argjson rb "${retained_before:-null}" --argjson ra "${retained_after:-null}" \
    --arg stored "$(psql_value "select count(*) from backups where state = 'STORED'")" \
    --arg bytes "$(psql_value "select coalesce(sum(size_bytes), 0) from backups where state = 'STORED'")" \
    --arg failures "$(psql_value "select count(*) from backup_failures")" \
    --arg files "$(find "$BACKUP_DIR" -type f -size +$((mb - 1))M 2>/dev/null | wc -l)" \
    --argjson mb "$mb" --argjson n "$n" --arg collection "$collection" \
    '{diskSequentialWriteMBps: $dd, backupMB: $mb, backupSensors: $n, collection: $collection,
      collectionStartedAtEpochMs: $started, allStoredAfterMs: $done, backupsStored: ($stored | tonumber),
      bytesStored: ($bytes | tonumber), backupFailures: ($failures | tonumber), filesOnDisk: ($files | tonumber),
      heartbeatProbe: $probe, retainedHeapMb: {beforeBaseline: $rb, afterUploads: $ra}}')
}

# retained_heap_mb PID -> the console's heap in use right after a full collection (jcmd GC.run),
# in MB: what it really keeps. The live-heap metric (old generation after any collection) also
# counts pieces of uploads that were promoted and died there, until G1's next marking. Taken
# before the baseline phase and after the "after" phase, so no measured heartbeat waits for it.
retained_heap_mb() {
  "$JAVA_HOME/bin/jcmd" "$1" GC.run >/dev/null 2>&1 || { echo null; return; }
  "$JAVA_HOME/bin/jcmd" "$1" GC.heap_info 2>/dev/null | grep -o -m1 'used [0-9]*K' | awk '{print int($2 / 1024)}' | grep . || echo null
}

# ---- forwarding: alerts at RATE/s for SECONDS to a webhook answering in 500 ms ------------------
# The scenario sets ALERT_RATE, ALERT_SENSORS and WEBHOOK_BATCH (the action's batchMaxEvents, 1 = one
# alert per request); BENCH_ALERT_RATE, BENCH_ALERT_SENSORS and BENCH_WEBHOOK_BATCH override them.
run_forwarding_burst() {
  local rate=${BENCH_ALERT_RATE:-$ALERT_RATE} senders=${BENCH_ALERT_SENSORS:-$ALERT_SENSORS}
  local batch=${BENCH_WEBHOOK_BATCH:-$WEBHOOK_BATCH} port rule delivered_ms=null burst_end
  port=$(free_port)
  "$JAVA_HOME/bin/java" -Xmx512m "$ROOT/bench/lib/WebhookSink.java" "$port" "$WORK/webhook.json" \
    "${BENCH_WEBHOOK_DELAY_MS:-500}" >"$WORK/webhook.log" 2>&1 &
  SINK_PID=$!
  for _ in $(seq 1 120); do [ -s "$WORK/webhook.json" ] && break; sleep 0.25; done
  [ -s "$WORK/webhook.json" ] || bench_die "the webhook receiver did not start; see $WORK/webhook.log"
  rule=$(api POST /api/v1/forwarding-rules "$(jq -nc --arg url "http://127.0.0.1:$port/hook" --argjson batch "$batch" \
    '{name: "bench webhook", minSeverity: "WARNING", reportSystemNotifications: false, reportAlerts: true,
      actions: [{type: "WEBHOOK", url: $url} + (if $batch > 1 then {batchMaxEvents: $batch} else {} end)]}')" | jq -r .id)
  bench_log "forwarding rule $rule to a webhook answering in ${BENCH_WEBHOOK_DELAY_MS:-500} ms on port $port, up to $batch alert(s) per request"
  start_controlled --alerts-per-second "$(awk -v r="$rate" -v c="$CONSOLES" 'BEGIN {print r / c}')" \
    --alert-sensors "$(( (senders + CONSOLES - 1) / CONSOLES ))"
  control_all "phase steady"
  sleep "$WARMUP"
  control_all "phase burst"
  local burst_start
  burst_start=$(date +%s%3N)
  sleep "$DURATION"
  control_all "phase drain"
  burst_end=$(date +%s%3N)
  bench_log "burst over; waiting until the webhook has every notification"
  # Every alert the simulators created must come out at the receiver: the simulators retry until accepted.
  if await_sql "select count(*) from forwarding_outbox where state <> 'DELIVERED'" 0 "${BENCH_DRAIN_LIMIT:-600}"; then
    delivered_ms=$(( $(date +%s%3N) - burst_end ))
  fi
  sleep 2
  stop_controlled
  kill "$SINK_PID" 2>/dev/null || true
  wait "$SINK_PID" 2>/dev/null || true
  SINK_PID=""
  EXTRA=$(jq -n --slurpfile sink "$WORK/webhook.json" --argjson burstStart "$burst_start" --argjson burstEnd "$burst_end" \
    --argjson drained "$delivered_ms" --argjson rate "$rate" --argjson batch "$batch" \
    --arg alerts "$(psql_value "select count(*) from notifications where category = 'ALERT'")" \
    --arg outbox "$(psql_value "select coalesce(json_object_agg(state, n), '{}') from (select state, count(*) n from forwarding_outbox group by 1) s")" \
    --arg attempts "$(psql_value "select count(*) from forwarding_attempts")" \
    '{offeredAlertsPerSecond: $rate, webhookBatchMaxEvents: $batch, burstStartEpochMs: $burstStart, burstEndEpochMs: $burstEnd,
      allDeliveredAfterBurstMs: $drained, alertNotificationsInDatabase: ($alerts | tonumber),
      outboxByState: ($outbox | fromjson), deliveryAttempts: ($attempts | tonumber), webhook: $sink[0]}')
}
