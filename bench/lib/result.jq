# Builds the result file of bench/run.sh from the simulator report, the resource samples and the
# database checks. Inputs: see the jq invocation at the end of bench/run.sh.
def r1: . * 10 | round / 10;
def window($from; $to): map(select(.t > $from and .t <= $to));
def stat(f): [.[] | f | select(. != null)] as $v
  | if ($v | length) == 0 then null
    else {avg: ($v | add / length | r1), min: ($v | min), max: ($v | max), first: $v[0], last: $v[-1]} end;
# Least-squares slope of f over time, per minute: "flat memory" is a slope near zero.
def slope(f): [.[] | select(f != null) | [(.t / 60000), f]] as $p
  | if ($p | length) < 3 then null else
      ($p | map(.[0]) | add / length) as $mx | ($p | map(.[1]) | add / length) as $my
      | ($p | map((.[0] - $mx) * (.[1] - $my)) | add) as $sxy | ($p | map((.[0] - $mx) * (.[0] - $mx)) | add) as $sxx
      | if $sxx == 0 then null else $sxy / $sxx | r1 end end;
def tps: [range(1; length) as $i | .[$i - 1] as $a | .[$i] as $b
          | select($a.dbTransactions != null and $b.dbTransactions != null and $b.dbTransactions >= $a.dbTransactions)
          | ($b.dbTransactions - $a.dbTransactions) / (($b.t - $a.t) / 1000)] as $v
  | if ($v | length) == 0 then null else {avg: ($v | add / length | r1), max: ($v | max | r1)} end;
# CPU seconds a process used in the samples (percent of one core × interval).
def cpu_seconds(f): [.[] | select(f != null) | f / 100 * (.dt // 5000) / 1000] | add // 0 | . * 10 | round / 10;
def pctl($p): sort | if length == 0 then null else .[((length * $p) | ceil) - 1] end;
def spread: {count: length, p50: pctl(0.5), p95: pctl(0.95), p99: pctl(0.99), max: (max // null)};
def phasespan($ph; $names): [$names[] | $ph[.] | select(. != null)] as $ps
  | {from: ($ps | map(.startEpochMs) | min), to: ($ps | map(.startEpochMs + .durationMs) | max)};
def resources($nproc):
  {consoleCpuPercentOfOneCore: stat(.consoleCpuPercent),
   consoleCpuPercentOfMachine: (stat(.consoleCpuPercent) | if . == null then null else {avg: (.avg / $nproc | r1), max: (.max / $nproc | r1)} end),
   postgresCpuPercentOfOneCore: stat(.postgresCpuPercent),
   simulatorCpuPercentOfOneCore: stat(.simulatorCpuPercent),
   machineBusyPercent: stat(.machineBusyPercent),
   consoleRssMb: stat(.consoleRssMb), consoleRssMbPerMinute: slope(.consoleRssMb),
   consoleHeapUsedMb: stat(.consoleHeapUsedMb), consoleHeapMbPerMinute: slope(.consoleHeapUsedMb),
   consoleLiveHeapMb: stat(.consoleLiveHeapMb), consoleLiveHeapMbPerMinute: slope(.consoleLiveHeapMb),
   simulatorRssMb: stat(.simulatorRssMb),
   consoleCpuSeconds: cpu_seconds(.consoleCpuPercent), postgresCpuSeconds: cpu_seconds(.postgresCpuPercent),
   consoleJitCpuSeconds: cpu_seconds(.consoleJitCpuPercent),
   simulatorCpuSeconds: cpu_seconds(.simulatorCpuPercent),
   databaseTransactionsPerSecond: tps, loadAverage: stat(.loadAverage), samples: length};

$sim[0] as $s | $samples[0] as $all | $machine.nproc as $nproc
| ($s.phases | map({key: .name, value: .}) | from_entries) as $phase
| (if $scenario | startswith("heartbeat") then
     {name: "steady", from: $phase.steady.startEpochMs, to: ($phase.steady.startEpochMs + $phase.steady.durationMs)}
   elif $scenario == "enrollment-burst" then
     {name: "enrollment", from: $s.enrollment.startEpochMs, to: ($s.enrollment.startEpochMs + $s.enrollment.durationMs)}
   elif $scenario | startswith("settings-push") then {name: "push"} + phasespan($phase; ["push"])
   elif $scenario | startswith("backup-upload") then {name: "uploads"} + phasespan($phase; ["uploads"])
   elif $scenario | startswith("forwarding") then {name: "burst+drain"} + phasespan($phase; ["burst", "drain"])
   else
     {name: "outage+recovery", from: $phase.outage.startEpochMs, to: ($phase.recovery.startEpochMs + $phase.recovery.durationMs)}
   end) as $w
| ($checks + $extra) as $c
# settings push: time from the change to each acknowledgement of its revision, one per sensor
| ([($s.workloads.settings.revisions // [])[] | select(.revision == $c.revision) | .acceptedAtEpochMs[] - $c.pushedAtEpochMs]) as $acks
| ([($s.workloads.settings.revisions // [])[] | select(.revision == $c.revision) | (.receivedAtEpochMs // [])[] - $c.pushedAtEpochMs]) as $received
| ($s.workloads.backups.uploads // []) as $ups
| (if ($ups | length) > 0 then {bytes: ($ups | map(.bytes) | add), from: ($ups | map(.startEpochMs) | min),
     to: ($ups | map(.endEpochMs) | max)} | . + {aggregateMBps: (if .to > .from then .bytes / 1e6 / ((.to - .from) / 1000) | . * 10 | round / 10 else null end)}
   else null end) as $upload
| ($all | window($w.from; $w.to)) as $ws
| ($all | map(select(.t <= $w.from)) | last) as $before
| (if $scenario | startswith("heartbeat") then {kind: "heartbeat", count: $phase.steady.ok}
   elif $scenario == "enrollment-burst" then {kind: "enrollment", count: $s.enrollment.enrolled}
   elif $scenario | startswith("settings-push") then {kind: "settings acknowledgement", count: ($acks | length)}
   elif $scenario | startswith("backup-upload") then {kind: "MB uploaded", count: (($upload.bytes // 0) / 1e6 | floor)}
   elif $scenario | startswith("forwarding") then {kind: "alert forwarded", count: ($c.webhook.uniqueIds // 0)}
   else {kind: "heartbeat (incl. reconnection)", count: ($phase.outage.ok + $phase.recovery.ok)} end) as $ops
| ($all | window($w.from; $w.to) | resources($nproc)) as $wr
# The consoles' stop-the-world GC pauses that ended in the window (null in results older than this).
| (($gc[0] // null) | if . == null then null else map(select(.t > $w.from and .t <= $w.to)) | map(.ms) as $p
   | {count: ($p | length), totalMs: ($p | add // 0 | r1), p50Ms: ($p | pctl(0.5)), maxMs: ($p | max),
      percentOfWindowPerConsole: (if $w.to > $w.from then ($p | add // 0) * 100 / ($w.to - $w.from) / ($consoles | tonumber) | . * 100 | round / 100 else null end)} end) as $gcw
# How much of the window the samples cover (a sample covers (t - dt, t]); under load one sample can
# outlast a short window, or the run ends before the sample that covers its end.
| ([$all[] | [(.t - (.dt // 0)), .t] | [([.[0], $w.from] | max), ([.[1], $w.to] | min)] | select(.[1] > .[0]) | .[1] - .[0]]
   | add // 0) as $sampledMs
# Where the scenario marked the processes' CPU ticks at both ends of its window, that is exact.
| ($c.cpuFromPushUntilAllApplied // null) as $exact
| (if $exact != null then $exact else $wr end) as $cpu
| {scenario: $scenario, command: $command, startedAt: $started, finishedAt: $finished,
   commit: $commit, uncommittedChanges: ($dirty == "true"),
   machine: $machine,
   settings: {consoles: ($consoles | tonumber), agentPlane: $agentplane, consoleHeap: $heap, simulatorHeap: $simheap,
              simulators: ($s.settings.simulators // 1), jfrRecording: (if $jfr == "" then null else $jfr end),
              # Each console start: from an ahead-of-time cache (-XX:AOTCache), recording one
              # (-XX:AOTCacheOutput, written as it stops) or neither (deploy/console-launch.sh).
              consoleStarts: ($aot | split("\n") | map(select(. != ""))),
              workDir: $work, environment: $env},
   measuredWindow: $w,
   cost: {operation: $ops.kind, operations: $ops.count,
          consoleCpuMsPerOperation: (if $ops.count > 0 then $cpu.consoleCpuSeconds * 1000 / $ops.count | . * 100 | round / 100 else null end),
          # Of the console's: its JIT compiler threads (samples only; null in results older than this figure).
          consoleJitCpuMsPerOperation: (if $ops.count > 0 and $exact == null and ($ws | any(.consoleJitCpuPercent != null))
                                        then $wr.consoleJitCpuSeconds * 1000 / $ops.count | . * 100 | round / 100 else null end),
          postgresCpuMsPerOperation: (if $ops.count > 0 then $cpu.postgresCpuSeconds * 1000 / $ops.count | . * 100 | round / 100 else null end),
          simulatorCpuMsPerOperation: (if $ops.count > 0 then $cpu.simulatorCpuSeconds * 1000 / $ops.count | . * 100 | round / 100 else null end),
          cpuFrom: (if $exact != null then "CPU ticks marked at the push and when all were applied (\($exact.seconds) s, machine \($exact.machineBusyPercent) % busy)"
                    else "resource samples covering \(if $w.to > $w.from then $sampledMs * 100 / ($w.to - $w.from) | round else 0 end) % of the window" end)},
   targets: (if $scenario | startswith("heartbeat") then [
       {target: "check-in p99 < 50 ms", measured: $phase.steady.latency.p99, met: ($phase.steady.latency.p99 < 50)},
       {target: "console CPU < 50 % of the machine", measured: ($all | window($w.from; $w.to) | resources($nproc) | .consoleCpuPercentOfMachine.avg),
        met: (($all | window($w.from; $w.to) | resources($nproc) | .consoleCpuPercentOfMachine.avg // 100) < 50)},
       (((($wr.consoleCpuPercentOfOneCore.avg // 100) + ($wr.postgresCpuPercentOfOneCore.avg // 100)) / $nproc | r1) as $both
        | {target: "consoles + PostgreSQL CPU < 50 % of the machine", measured: $both, met: ($both < 50)}),
       ((if $ops.count > 0 then $wr.consoleCpuSeconds * 1000 / $ops.count | . * 100 | round / 100 else null end) as $per
        | {target: "<= 0.10 ms of console CPU per heartbeat", measured: $per, met: ($per != null and $per <= 0.10)}),
       {target: "no failed heartbeat, every sensor reported", measured: {failures: $phase.steady.failures, reported: $phase.steady.sensorsReported, sensors: $phase.steady.sensors},
        met: ($phase.steady.failureCount == 0 and $phase.steady.sensorsReported == $phase.steady.sensors)},
       {target: "memory flat (live heap after GC and RSS, MB/min over the window)",
        measured: ($all | window($w.from; $w.to) | {liveHeapMbPerMinute: slope(.consoleLiveHeapMb), rssMbPerMinute: slope(.consoleRssMb)}), met: null}]
     elif $scenario == "enrollment-burst" then [
       {target: ">= 300 enrollments/s", measured: $s.enrollment.perSecond, met: ($s.enrollment.perSecond >= 300)},
       {target: "each token used exactly once", measured: {replaysSent: $s.enrollment.replaysSent, replaysAccepted: $s.enrollment.replaysAccepted,
         tokensUsed: $c.tokensUsed, sensors: $c.sensorsInDatabase, tokensUsedByTwoSensors: $c.tokensUsedByTwoSensors},
        met: ($s.enrollment.replaysAccepted == 0 and $c.tokensUsedByTwoSensors == 0 and $c.tokensUsed == $c.sensorsInDatabase)},
       {target: "no duplicate serial", measured: {seenBySensors: $s.enrollment.duplicateSerials, inDatabase: $c.duplicateSerialsInDatabase},
        met: ($s.enrollment.duplicateSerials == 0 and $c.duplicateSerialsInDatabase == 0)},
       {target: "every enrollment succeeded", measured: {enrolled: $s.enrollment.enrolled, requested: $s.enrollment.requested, failures: $s.enrollment.failures},
        met: ($s.enrollment.enrolled == $s.enrollment.requested)}]
     elif $scenario | startswith("settings-push") then
       (($c.sensorsInDatabase * 0.99) | ceil) as $need
       | ($acks | sort) as $sorted
       | [{target: "99 % acknowledged within 5 s",
           measured: {sensors: $c.sensorsInDatabase, acknowledged: ($acks | length),
                      msUntil99PercentAcknowledged: (if ($sorted | length) >= $need then $sorted[$need - 1] else null end),
                      acknowledgedWithin5s: ($acks | map(select(. <= 5000)) | length)},
           met: (($sorted | length) >= $need and $sorted[$need - 1] <= 5000)},
          {target: "every sensor acknowledged (database)", measured: {applied: $c.sensorsWithRevisionAppliedInDatabase,
           afterMs: $c.allAcknowledgedInDatabaseAfterMs}, met: ($c.sensorsWithRevisionAppliedInDatabase == $c.sensorsInDatabase)},
          {target: "acknowledgement latency (ms after the change)", measured: ($acks | spread), met: null},
          {target: "revision received by the sensors (ms after the change, before acknowledging)", measured: ($received | spread), met: null}]
     elif $scenario | startswith("backup-upload") then
       [{target: ">= 80 % of the disk's sequential write speed",
         measured: {aggregateMBps: $upload.aggregateMBps, diskMBps: $c.diskSequentialWriteMBps,
                    percentOfDisk: (if $c.diskSequentialWriteMBps then ($upload.aggregateMBps // 0) * 100 / $c.diskSequentialWriteMBps | . * 10 | round / 10 else null end)},
         met: (($upload.aggregateMBps // 0) >= 0.8 * ($c.diskSequentialWriteMBps // 1e9))},
        {target: "console heap growth < 64 MB (retained after a full GC before and after; live heap and heap used shown too)",
         measured: {retainedBeforeMb: $c.retainedHeapMb.beforeBaseline, retainedAfterMb: $c.retainedHeapMb.afterUploads,
                    liveHeapBeforeMb: $before.consoleLiveHeapMb, liveHeapMaxMb: ($ws | map(.consoleLiveHeapMb // 0) | max),
                    heapUsedBeforeMb: $before.consoleHeapUsedMb, heapUsedMaxMb: ($ws | map(.consoleHeapUsedMb // 0) | max)},
         met: (if ($c.retainedHeapMb.afterUploads // null) != null and ($c.retainedHeapMb.beforeBaseline // null) != null
               then ($c.retainedHeapMb.afterUploads - $c.retainedHeapMb.beforeBaseline) < 64
               else (($ws | map(.consoleLiveHeapMb // 0) | max) - ($before.consoleLiveHeapMb // 0)) < 64 end)},
        {target: "heartbeat p99 at most doubled during the uploads (the simulator's 1,000 sensors)",
         measured: {baselineP99: $phase.baseline.latency.p99, uploadsP99: $phase.uploads.latency.p99,
                    uploadsSchedulingLagP99: $phase.uploads.schedulingLag.p99},
         met: ($phase.uploads.latency.p99 <= 2 * $phase.baseline.latency.p99)},
        {target: "heartbeat p99 at most doubled during the uploads (independent probe: curl, one sensor, 10/s)",
         measured: $c.heartbeatProbe,
         met: (if $c.heartbeatProbe.uploads.p99 == null then null
               else $c.heartbeatProbe.uploads.notOk == 0 and $c.heartbeatProbe.uploads.p99 <= 2 * $c.heartbeatProbe.baseline.p99 end)},
        {target: "every upload stored, none failed",
         measured: {uploads: ($ups | length), complete: ($ups | map(select(.complete)) | length), stored: $c.backupsStored,
                    failures: $c.backupFailures, filesOnDisk: $c.filesOnDisk},
         met: ($c.backupsStored == $c.backupSensors and $c.backupFailures == 0 and ($ups | map(select(.complete)) | length) == $c.backupSensors)}]
     elif $scenario | startswith("forwarding") then
       (if ($s.workloads.alerts.lastEpochMs // 0) > ($s.workloads.alerts.firstEpochMs // 0) then
          $s.workloads.alerts.created * 1000 / ($s.workloads.alerts.lastEpochMs - $s.workloads.alerts.firstEpochMs) | . * 10 | round / 10
        else null end) as $achieved
       | (if $c.webhook.lastEpochMs > $c.webhook.firstEpochMs then
          $c.webhook.uniqueIds * 1000 / ($c.webhook.lastEpochMs - $c.webhook.firstEpochMs) | . * 10 | round / 10 else null end) as $atWebhook
       | [{target: "nothing lost, nothing duplicated: every alert created reaches the webhook once",
         measured: {created: $s.workloads.alerts.created, acceptedByConsole: $s.workloads.alerts.accepted,
                    inDatabase: $c.alertNotificationsInDatabase, uniqueAtWebhook: $c.webhook.uniqueIds,
                    duplicatesAtWebhook: $c.webhook.duplicates, outbox: $c.outboxByState},
         met: ($s.workloads.alerts.created == $s.workloads.alerts.accepted
               and $s.workloads.alerts.accepted == $c.alertNotificationsInDatabase
               and $c.alertNotificationsInDatabase == $c.webhook.uniqueIds and $c.webhook.duplicates == 0
               and ($c.webhook.malformedBatches // 0) == 0
               and (($c.outboxByState | to_entries | map(select(.key != "DELIVERED")) | length) == 0))},
        {target: "offered \($c.offeredAlertsPerSecond) notifications/s: created by the sensors and forwarded at >= 97 % of that rate",
         measured: {offered: $s.workloads.alerts.offeredPerSecond, achieved: $achieved, forwardedPerSecond: $atWebhook,
         alertLatency: $s.workloads.alerts.latency, resent: $s.workloads.alerts.resent, failures: $s.workloads.alerts.failures},
         met: ($achieved != null and $atWebhook != null and $achieved >= 0.97 * $c.offeredAlertsPerSecond
               and $atWebhook >= 0.97 * $c.offeredAlertsPerSecond)},
        {target: "delivered to the webhook (drain after the burst)", measured: {allDeliveredAfterBurstMs: $c.allDeliveredAfterBurstMs,
         webhookPerSecond: $atWebhook, webhookRequests: $c.webhook.requests, webhookMaxInFlight: $c.webhook.maxInFlight,
         batchMaxEvents: $c.webhookBatchMaxEvents}, met: null}]
     else [
       # SPEC §4: 10,000 back within 15 s, 50,000 within 60 s of the console being ready.
       ((if ($phase.recovery.sensors // 0) <= 10000 then 15 else 60 end) as $limit
        | {target: "all sensors back within \($limit) s of the console being ready", measured: $phase.recovery.allReportedAfterMs,
           met: ($phase.recovery.allReportedAfterMs != null and $phase.recovery.allReportedAfterMs <= $limit * 1000)}),
       {target: "no errors after the restart but 429 with Retry-After",
        measured: $phase.recovery.failures,
        met: ($phase.recovery.failures | to_entries | map(select(.key != "http-429")) | length == 0)}]
     end),
   checks: $c,
   simulator: $s,
   resources: {window: ($wr + {consoleGcPauses: $gcw}), run: ($all | resources($nproc))},
   samples: $all}
