# The human summary of a bench/run.sh result file.
def ms: if . == null then "n/a" else tostring + " ms" end;
def pct: if . == null then "n/a" else tostring + " %" end;
"SensorFleet benchmark: \(.scenario)   (\(.command))",
"run \(.startedAt) .. \(.finishedAt), commit \(.commit)\(if .uncommittedChanges then " + uncommitted changes" else "" end)",
"machine: \(.machine.nproc) cores \(.machine.cpuModel), \(.machine.memTotalMb) MB, load average at start \(.machine.loadAverageAtStart | map(tostring) | join(" ")), CPU busy at start \(.machine.machineBusyPercentAtStart) %; \(.machine.java)",
"         busiest processes at start: \(.machine.topProcessesAtStart)",
"console: \(.settings.consoles) instance(s), heap \(.settings.consoleHeap); \(.settings.agentPlane); \(.settings.simulators) simulator process(es)"
  + (if (.settings.consoleStarts // []) | length > 0 then "\n         starts: " + (.settings.consoleStarts | join("; ")) else "" end),
"",
"targets:",
(.targets[] | "  [\(if .met == true then "met " elif .met == false then "MISS" else " -- " end)] \(.target): \(.measured | tojson)"),
"",
(if .simulator.enrollment.enrolled > 0 then
  (.simulator.enrollment | "enrollment: \(.enrolled)/\(.requested) in \(.durationMs / 1000) s = \(.perSecond)/s (\(.offered)); 429 retried \(.throttled); failures \(.failures | tojson); latency p50 \(.latency.p50) p95 \(.latency.p95) p99 \(.latency.p99) max \(.latency.max) ms; replays \(.replaysRejected)/\(.replaysSent) rejected, \(.replaysAccepted) accepted\(if (.warmupEnrolled // 0) > 0 then "; measured after a warm-up of \(.warmupEnrolled) enrollments in \(.warmupDurationMs / 1000) s (replays counted with the burst)" else "" end)")
 else "enrollment: none (identities loaded)" end),
"",
"phases (heartbeats):",
(.simulator.phases[] | "  \(.name): \(.durationMs / 1000 | floor) s, offered \(.offeredPerSecond)/s, ok \(.ok) = \(.achievedPerSecond)/s, failures \(.failures | tojson), latency p50 \(.latency.p50) p95 \(.latency.p95) p99 \(.latency.p99) max \(.latency.max) ms, handshakes \(.handshakes) (p99 \(.connect.p99) ms), stale-connection retries \(.staleRetries), scheduling lag p99 \(.schedulingLag.p99) ms, reported \(.sensorsReported)/\(.sensors)\(if .allReportedAfterMs != null then " (all after \(.allReportedAfterMs) ms)" else "" end)"),
"",
"cost per \(.cost.operation): console \(.cost.consoleCpuMsPerOperation) ms CPU\(if .cost.consoleJitCpuMsPerOperation != null then " (of it \(.cost.consoleJitCpuMsPerOperation) ms compiling code, JIT)" else "" end), PostgreSQL \(.cost.postgresCpuMsPerOperation) ms, simulator \(.cost.simulatorCpuMsPerOperation) ms (over \(.cost.operations) operations in the measured window; \(.cost.cpuFrom // "resource samples"))",
"",
(.simulator.phases[] | select((.failureExamples // {}) != {}) | "  \(.name) failure examples: \(.failureExamples | tojson)"),
"",
"resources in the measured window (\(.measuredWindow.name)):",
(.resources.window | "  console CPU avg \(.consoleCpuPercentOfMachine.avg | pct) of the machine (max \(.consoleCpuPercentOfMachine.max | pct)); PostgreSQL CPU avg \(.postgresCpuPercentOfOneCore.avg | pct) of one core; simulator CPU avg \(.simulatorCpuPercentOfOneCore.avg | pct) of one core; machine busy avg \(.machineBusyPercent.avg | pct)",
  "  console RSS \(.consoleRssMb.first) -> \(.consoleRssMb.last) MB (max \(.consoleRssMb.max), \(.consoleRssMbPerMinute) MB/min); heap used \(.consoleHeapUsedMb.first) -> \(.consoleHeapUsedMb.last) MB (max \(.consoleHeapUsedMb.max)), live after GC \(.consoleLiveHeapMb.first) -> \(.consoleLiveHeapMb.last) MB (\(.consoleLiveHeapMbPerMinute) MB/min); simulator RSS max \(.simulatorRssMb.max) MB",
  "  database transactions/s avg \(.databaseTransactionsPerSecond.avg) (max \(.databaseTransactionsPerSecond.max)); load average \(.loadAverage.min)..\(.loadAverage.max)",
  (.consoleGcPauses // empty | "  console GC pauses (every thread stopped): \(.count) ending in the window, p50 \(.p50Ms) ms, max \(.maxMs) ms, \(.totalMs) ms in all = \(.percentOfWindowPerConsole) % of the window per console")),
"",
"checks: \(.checks | tojson)"
,
(if (.simulator.workloads // {}) == {} then empty else
  "workloads: " + (.simulator.workloads | with_entries(.value |= (del(.revisions, .uploads) )) | tojson) end)
