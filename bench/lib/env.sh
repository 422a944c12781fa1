# Sourced by bench/run.sh: starting and stopping the throwaway PostgreSQL, the packaged console and
# the simulator, and sampling their resource use. Every process started here is recorded so the
# caller's trap can stop it.

bench_log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
bench_die() { printf '[bench] error: %s\n' "$*" >&2; exit 1; }

# The machine, as it is when the run starts: other work on it shows in the load average and top processes.
machine_json() {
  local cpu_model mem_kb top busy b0 t0 b1 t1 l1 l5 l15
  read -r l1 l5 l15 _ < /proc/loadavg
  cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
  # CPU busy over two seconds, system-wide: processes of other containers on this kernel show here only.
  read -r b0 t0 < <(machine_busy); sleep 2; read -r b1 t1 < <(machine_busy)
  busy=$(( (b1 - b0) * 100 / (t1 - t0 > 0 ? t1 - t0 : 1) ))
  mem_kb=$(sed -n 's/^MemTotal:[[:space:]]*\([0-9]*\) kB/\1/p' /proc/meminfo)
  # Over the last two seconds (ps would show lifetime averages): what else is using the CPU now.
  top=$(top -b -n 2 -d 2 -o %CPU 2>/dev/null | awk '/^top -/{frame++} frame==2 && /^ *[0-9]+ /{print}' \
    | head -n 5 | awk '{printf "%s%s %s%%", (NR>1?", ":""), $12, $9}')
  jq -n --arg nproc "$(nproc)" --arg model "$cpu_model" --arg mem "$mem_kb" --arg l1 "$l1" --arg l5 "$l5" \
    --arg l15 "$l15" --arg kernel "$(uname -r)" --arg top "$top" --arg busy "$busy" --arg nofile "$(ulimit -n)" \
    --arg java "$("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1)" \
    '{nproc: ($nproc|tonumber), cpuModel: $model, memTotalMb: (($mem|tonumber)/1024|floor),
      loadAverageAtStart: [($l1|tonumber), ($l5|tonumber), ($l15|tonumber)], kernel: $kernel,
      openFilesLimit: ($nofile|tonumber), java: $java, machineBusyPercentAtStart: ($busy|tonumber),
      topProcessesAtStart: $top}'
}

# start_postgres DIR -> sets PG_URL PG_USER PG_PASSWORD PG_PORT PG_DIR
start_postgres() {
  PG_DIR=$1
  PG_PORT=$(free_port)
  local out
  out=$("$ROOT/deploy/local/throwaway-postgres.sh" start "$PG_DIR" "$PG_PORT") || bench_die "PostgreSQL did not start"
  read -r PG_URL PG_USER PG_PASSWORD <<<"$out"
  [ -n "${PG_PASSWORD:-}" ] || bench_die "throwaway-postgres.sh printed no credentials"
}

stop_postgres() {
  [ -n "${PG_DIR:-}" ] && "$ROOT/deploy/local/throwaway-postgres.sh" stop "$PG_DIR" >/dev/null 2>&1 || true
}

# psql_value SQL -> one value from the benchmark database
psql_value() {
  PGPASSWORD=$PG_PASSWORD psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d sensorfleet -tAX -c "$1"
}

# Below the kernel's ephemeral range: a port picked inside it can meanwhile become the local end of
# an outgoing connection (the simulators open tens of thousands), and the console then cannot bind it
# ("Port … seems to be in use", seen once on 2026-12-06).
free_port() {
  local port low
  low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  [ "$low" -gt 12000 ] 2>/dev/null || low=32768
  for _ in $(seq 1 50); do
    port=$((10000 + RANDOM % (low - 10000)))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  bench_die "no free TCP port found"
}

# -XX:ThreadPriorityPolicy=1 (consoles and simulators) makes Java priorities nice values. An
# installed console runs as its own user, who may lower a thread's priority (the backup writers:
# nice 4) but not raise one; as root the JVM would also raise its own GC, compiler and reference
# threads (nice -3 to -5). LOWER_ONLY maps those priorities to 0 when these runs are root, so the
# measured JVMs are scheduled as the installed console is.
LOWER_ONLY=()
if [ "$(id -u)" = 0 ]; then
  for java_priority in 6 7 8 9 10; do LOWER_ONLY+=("-XX:JavaPriority${java_priority}_To_OSPriority=0"); done
fi

# Where instance I keeps its ahead-of-time cache (deploy/console-launch.sh). Outside the run's work
# directory, as an installed console keeps it in its state directory across restarts: a run starts
# from the cache of this build's previous run (the launcher names caches by build), and the first
# run of a build records one, written as each instance first stops (that stop takes longer).
# BENCH_CONSOLE_AOT=0: none. Not with BENCH_JFR=1: the JVM that assembles a cache inherits the
# console's options and would write its own recording over the console's.
console_aot_dir() {
  [ "${BENCH_CONSOLE_AOT:-1}" = 0 ] || [ "${BENCH_JFR:-0}" = 1 ] || echo "${BENCH_AOT_DIR:-/var/tmp/sensorfleet-bench/aot}/console-$1"
}

# start_console I: console instance I with its own data dir, log and ports (OPERATOR_PORTS[I],
# AGENT_PORTS[I]), on PG_*, with MASTER_KEY, ADMIN_PASSWORD, CONSOLE_HEAP; JFR when BENCH_JFR=1.
# Every instance logs its GC pauses with epoch-millisecond times (one file per JVM, so a restarted
# instance keeps the old one's); gc_pauses gathers them for the result.
# Sets CONSOLE_PIDS[I] and rewrites $WORK/console.pids for the sampler.
start_console() {
  local i=$1 jfr_opts=()
  if [ "${BENCH_JFR:-0}" = 1 ]; then
    jfr_opts=("-XX:StartFlightRecording=filename=$WORK/console-$i.jfr,settings=profile,dumponexit=true")
  fi
  QUARKUS_DATASOURCE_JDBC_URL=$PG_URL QUARKUS_DATASOURCE_USERNAME=$PG_USER QUARKUS_DATASOURCE_PASSWORD=$PG_PASSWORD \
  SENSORFLEET_CONSOLE_DATA_DIR=$WORK/console-$i SENSORFLEET_CONSOLE_MASTER_KEY=$MASTER_KEY \
  SENSORFLEET_ADMIN_PASSWORD=$ADMIN_PASSWORD QUARKUS_HTTP_SSL_PORT=${OPERATOR_PORTS[i]} \
  SENSORFLEET_BACKUPS_STORAGE_DIR=$BACKUP_DIR SENSORFLEET_BACKUPS_SCHEDULE_ENABLED=false \
  SENSORFLEET_AGENT_PLANE_PORT=${AGENT_PORTS[i]} SENSORFLEET_AGENT_PLANE_ADVERTISED_ADDRESSES=127.0.0.1:${AGENT_PORTS[i]} \
  SENSORFLEET_CONSOLE_JAVA=$JAVA_HOME/bin/java SENSORFLEET_CONSOLE_JAR=$CONSOLE_JAR SENSORFLEET_CONSOLE_AOT_DIR=$(console_aot_dir "$i") \
    "$ROOT/deploy/console-launch.sh" "-Xmx$CONSOLE_HEAP" -XX:-G1UseAdaptiveIHOP -XX:ThreadPriorityPolicy=1 "${LOWER_ONLY[@]}" "${jfr_opts[@]}" \
    "-Xlog:gc:file=$WORK/console-$i-gc-%p.log:timemillis" ${BENCH_CONSOLE_JAVA_OPTS:-} >>"$WORK/console-$i.log" 2>&1 &
  CONSOLE_PIDS[i]=$!
  printf '%s\n' "${CONSOLE_PIDS[@]}" >"$WORK/console.pids"
  echo "$!" >>"$WORK/console-pids.all"
  # "nowait": the caller starts several and awaits each itself.
  [ "${2:-}" = nowait ] || await_console "$i"
}

await_console() {
  local i=$1
  for _ in $(seq 1 240); do
    kill -0 "${CONSOLE_PIDS[i]}" 2>/dev/null \
      || { tail -n 20 "$WORK/console-$i.log" >&2; bench_die "console $i exited; see $WORK/console-$i.log"; }
    if curl -ksf "https://127.0.0.1:${OPERATOR_PORTS[i]}/q/health/ready" >/dev/null 2>&1 \
        && (exec 3<>"/dev/tcp/127.0.0.1/${AGENT_PORTS[i]}") 2>/dev/null; then
      # Whether this start came from an ahead-of-time cache or records one, for the result.
      printf 'console %s pid %s: %s\n' "$i" "${CONSOLE_PIDS[i]}" \
        "$(tr '\0' '\n' <"/proc/${CONSOLE_PIDS[i]}/cmdline" 2>/dev/null | grep -o -- '^-XX:AOTCache[A-Za-z]*=.*' | sed 's|=.*/|=|' || echo 'no cache')" \
        >>"$WORK/aot-starts.log"
      return 0
    fi
    sleep 0.25
  done
  bench_die "console $i was not ready within 60 s; see $WORK/console-$i.log"
}

# Stops console I the way systemd would (SIGTERM), waiting up to 3 min (then SIGKILL).
stop_console() {
  local i=$1 pid=${CONSOLE_PIDS[$1]:-}
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  # Up to 3 min, as the systemd unit allows: a first start writes its ahead-of-time cache as it exits.
  for _ in $(seq 1 720); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  CONSOLE_PIDS[i]=""
}

# Total CPU time (user+system, in clock ticks) of a process, 0 if gone.
cpu_ticks() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
  stat=${stat##*) }
  # fields after "comm)": state is 1st, utime 12th, stime 13th
  awk '{print $12 + $13}' <<<"$stat"
}

# CPU ticks of a JVM's JIT compiler threads (C1, C2), 0 if gone: code being compiled, which a
# console just started spends for minutes and a console long up no longer does.
# A thread that ends between the glob and cat's open makes cat fail; under pipefail that failure
# was the assignment's in ticks_delta and ended the sampler (no samples from then on, no message).
jit_ticks() {
  { cat /proc/"$1"/task/*/stat 2>/dev/null || true; } \
    | awk -F') ' '/\(C[12] CompilerThre/ { split($2, f, " "); s += f[12] + f[13] } END { print s + 0 }'
}

# 0 for a process that is gone or exiting (a zombie's status has no VmRSS line): an empty value
# here once ended the sampler with an arithmetic error during a console restart.
rss_kb() {
  local kb
  kb=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$1/status" 2>/dev/null)
  echo "${kb:-0}"
}

# Lists the PostgreSQL postmaster and its children (backends, WAL writer, checkpointer) in FILE.
pg_pids() {
  local postmaster
  postmaster=$(head -n 1 "$PG_DIR/data/postmaster.pid" 2>/dev/null) || { : >"$1"; return; }
  { echo "$postmaster"; pgrep -P "$postmaster" 2>/dev/null || true; } >"$1"
}

machine_busy() {
  awk '/^cpu /{print $2+$3+$4+$7+$8, $2+$3+$4+$5+$6+$7+$8}' /proc/stat
}

# Sets TICKS_DELTA to the CPU ticks used by the processes listed in FILE since the previous call
# with the same TAG (processes that appeared since count from zero; ended ones no longer count);
# COUNTER (default cpu_ticks) says which ticks of a process. Not a function to call in $(…): the
# previous values must survive in this shell.
declare -A PREV_TICKS
TICKS_DELTA=0
ticks_delta() {
  local tag=$1 file=$2 counter=${3:-cpu_ticks} pid ticks total=0
  local d
  for pid in $(cat "$file" 2>/dev/null); do
    ticks=$($counter "$pid")
    d=$((ticks - ${PREV_TICKS[$tag:$pid]:-0}))
    # Fewer ticks than last time: the process ended (0; its last moments are lost) or its pid now
    # belongs to a new one (all of its ticks are new) — never a negative figure, as a restarted
    # console's old pid gave before.
    [ "$d" -ge 0 ] || d=$ticks
    total=$((total + d))
    PREV_TICKS[$tag:$pid]=$ticks
  done
  TICKS_DELTA=$total
}

# cpu_mark: the CPU ticks the consoles, the simulators and PostgreSQL's processes have used so far,
# and the machine's busy and total ticks, as one JSON line. Two marks give a window's CPU exactly,
# wherever the sampler's intervals fall (under load one sample can take longer than a short window,
# and the run can end before the sample that covers it). A PostgreSQL backend that ends between
# the marks takes its ticks with it: use it where the connection pools are steady.
cpu_mark() {
  local c=0 s=0 p=0 pid busy total
  for pid in $(cat "$WORK/console.pids" 2>/dev/null); do c=$((c + $(cpu_ticks "$pid"))); done
  for pid in $(cat "$WORK/simulator.pids" 2>/dev/null); do s=$((s + $(cpu_ticks "$pid"))); done
  pg_pids "$WORK/postgres.mark.pids"
  for pid in $(cat "$WORK/postgres.mark.pids"); do p=$((p + $(cpu_ticks "$pid"))); done
  read -r busy total < <(machine_busy)
  jq -nc --argjson t "$(date +%s%3N)" --argjson c "$c" --argjson s "$s" --argjson p "$p" \
    --argjson busy "$busy" --argjson total "$total" \
    '{t: $t, console: $c, simulator: $s, postgres: $p, busy: $busy, total: $total}'
}

# cpu_between MARK1 MARK2: CPU seconds of each part and the machine's busy share between two marks.
cpu_between() {
  jq -nc --argjson a "$1" --argjson b "$2" --argjson hz "$(getconf CLK_TCK)" \
    '{seconds: (($b.t - $a.t) / 1000), consoleCpuSeconds: (($b.console - $a.console) / $hz),
      postgresCpuSeconds: (($b.postgres - $a.postgres) / $hz), simulatorCpuSeconds: (($b.simulator - $a.simulator) / $hz),
      machineBusyPercent: (if $b.total > $a.total then ($b.busy - $a.busy) * 1000 / ($b.total - $a.total) | round / 10 else null end)}'
}

rss_sum_kb() {
  local pid total=0
  for pid in $(cat "$1" 2>/dev/null); do total=$((total + $(rss_kb "$pid"))); done
  echo "$total"
}

# operator_token -> a login token of the admin from the first console instance; fails without one.
operator_token() {
  curl -ksf --max-time 30 -H 'Content-Type: application/json' \
    -d "$(jq -nc --rawfile p "$WORK/admin-password" '{username: "admin", password: ($p | rtrimstr("\n"))}')" \
    "https://127.0.0.1:$(awk '{print $1; exit}' "$WORK/operator.ports")/api/v1/auth/login" | jq -er .token
}

# Writes one JSON line per interval to $WORK/samples.jsonl until killed. CPU is in percent of one
# core (200 = both cores of this machine), summed over the console instances and over the
# simulators; memory in MB, also summed.
sampler() {
  local every=$1 hz prev_t prev_busy prev_total
  hz=$(getconf CLK_TCK)
  prev_t=$(date +%s%3N)
  ticks_delta console "$WORK/console.pids"; ticks_delta sim "$WORK/simulator.pids"
  ticks_delta jit "$WORK/console.pids" jit_ticks
  pg_pids "$WORK/postgres.pids"; ticks_delta pg "$WORK/postgres.pids"
  read -r prev_busy prev_total < <(machine_busy)
  while sleep "$every"; do
    local t c s pg jit busy total heap live xacts rss simrss load dt port metrics h l
    t=$(date +%s%3N)
    ticks_delta console "$WORK/console.pids"; c=$TICKS_DELTA
    ticks_delta jit "$WORK/console.pids" jit_ticks; jit=$TICKS_DELTA
    ticks_delta sim "$WORK/simulator.pids"; s=$TICKS_DELTA
    # Backends come and go with connection pools: counted per process, so one that ends takes nothing away.
    pg_pids "$WORK/postgres.pids"; ticks_delta pg "$WORK/postgres.pids"; pg=$TICKS_DELTA
    read -r busy total < <(machine_busy)
    rss=$(rss_sum_kb "$WORK/console.pids"); simrss=$(rss_sum_kb "$WORK/simulator.pids")
    heap=0; live=0
    # /q/metrics needs a bearer token; a login token lasts an hour. Only a 401 logs in again: a scrape
    # that timed out on a busy machine must not make the console hash the password (PBKDF2) again.
    if [ -z "${METRICS_TOKEN:-}" ] && [ -f "$WORK/admin-password" ]; then
      METRICS_TOKEN=$(operator_token 2>/dev/null) || METRICS_TOKEN=""
    fi
    for port in $(cat "$WORK/operator.ports"); do
      metrics=$(curl -ks --max-time 2 -w '\n%{http_code}' -H "Authorization: Bearer ${METRICS_TOKEN:-}" \
        "https://127.0.0.1:$port/q/metrics" 2>/dev/null) || true
      [ "${metrics##*$'\n'}" = 401 ] && METRICS_TOKEN=""
      [ "${metrics##*$'\n'}" = 200 ] && metrics=${metrics%$'\n'*} || metrics=""
      h=$(awk '/^jvm_memory_used_bytes\{area="heap"/{s+=$NF} END{printf "%.0f", s}' <<<"$metrics")
      # Old generation after the last collection: the live set, which is what "memory flat" is about.
      l=$(awk '/^jvm_gc_live_data_size_bytes/{printf "%.0f", $NF}' <<<"$metrics")
      heap=$((heap + ${h:-0})); live=$((live + ${l:-0}))
    done
    xacts=$(psql_value "select xact_commit + xact_rollback from pg_stat_database where datname = 'sensorfleet'" 2>/dev/null || echo "")
    read -r load _ < /proc/loadavg
    dt=$((t - prev_t))
    jq -nc --argjson t "$t" --argjson dt "$dt" --argjson hz "$hz" \
      --argjson c "$c" --argjson p "$pg" --argjson s "$s" --argjson jit "$jit" \
      --argjson busy "$((busy - prev_busy))" --argjson total "$((total - prev_total))" \
      --arg rss "${rss:-0}" --arg simrss "${simrss:-0}" --arg heap "$heap" --arg live "$live" --arg xacts "${xacts:-}" --arg load "$load" \
      '{t: $t, dt: $dt, consoleCpuPercent: ($c / $hz * 100000 / $dt | . * 10 | round / 10),
        consoleJitCpuPercent: ($jit / $hz * 100000 / $dt | . * 10 | round / 10),
        postgresCpuPercent: ($p / $hz * 100000 / $dt | . * 10 | round / 10),
        simulatorCpuPercent: ($s / $hz * 100000 / $dt | . * 10 | round / 10),
        machineBusyPercent: (if $total > 0 then $busy * 100 / $total | . * 10 | round / 10 else null end),
        consoleRssMb: (($rss | tonumber) / 1024 | floor), simulatorRssMb: (($simrss | tonumber) / 1024 | floor),
        consoleHeapUsedMb: (if $heap == "0" then null else ($heap | tonumber) / 1048576 | floor end),
        consoleLiveHeapMb: (if $live == "0" then null else ($live | tonumber) / 1048576 | floor end),
        dbTransactions: (if $xacts == "" then null else ($xacts | tonumber) end), loadAverage: ($load | tonumber)}' \
      >>"$WORK/samples.jsonl"
    prev_t=$t; prev_busy=$busy; prev_total=$total
  done
}

# gc_pauses -> the consoles' stop-the-world GC pauses as a JSON array of {t: epoch ms at the log
# line, ms: pause}, from every console JVM of the run.
gc_pauses() {
  # Only the consoles' own logs: the JVM that assembles an ahead-of-time cache as a first start exits
  # inherits the options and writes one too.
  local pid
  while read -r pid; do cat "$WORK"/console-*-gc-"$pid".log 2>/dev/null || true; done <"$WORK/console-pids.all" \
    | awk 'match($0, /^\[[0-9]+ms\] GC\([0-9]+\) Pause .* ([0-9.]+)ms$/) {
             t = substr($1, 2, length($1) - 4); n = split($0, f, " "); ms = f[n]; sub(/ms$/, "", ms)
             printf "{\"t\":%s,\"ms\":%s}\n", t, ms }' \
    | jq -s '.'
}
