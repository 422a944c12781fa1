# Merges the reports of several simulator processes (one per console, see bench/run.sh) into one
# report of the same shape. Counts add up; latency percentiles are those of the worst shard (a
# conservative bound: exact merging would need the histograms). Input: {enroll: [reports], run: [reports]}.
def sum(f): map(f) | add;
def worst(ls): {count: (ls | map(.count) | add), p50: (ls | map(.p50) | max), p95: (ls | map(.p95) | max),
                p99: (ls | map(.p99) | max), max: (ls | map(.max) | max)};
def counts(ms): reduce (ms[] | to_entries[]) as $e ({}; .[$e.key] += $e.value);
def enrollment(rs):
  if (rs | length) == 1 then rs[0].enrollment else
    (rs | map(.enrollment)) as $e
    | ($e | map(select(.startEpochMs > 0) | .startEpochMs) | min // 0) as $from
    | ($e | map(.startEpochMs + .durationMs) | max) as $to
    | ($e | sum(.enrolled)) as $n
    | {requested: ($e | sum(.requested)), loaded: ($e | sum(.loaded)), enrolled: $n, startEpochMs: $from,
       durationMs: ($to - $from), perSecond: (if $to > $from then $n * 1000 / ($to - $from) | . * 10 | round / 10 else 0 end),
       offered: "\($e[0].offered) in each of \($e | length) simulators", throttled: ($e | sum(.throttled)),
       failures: counts($e | map(.failures)), replaysSent: ($e | sum(.replaysSent)),
       replaysRejected: ($e | sum(.replaysRejected)), replaysAccepted: ($e | sum(.replaysAccepted)),
       duplicateSerials: ($e | sum(.duplicateSerials)), latency: worst($e | map(.latency)),
       keyPreparationMs: ($e | map(.keyPreparationMs) | max)} end;
def phase($name; rs):
  [rs[] | .phases[] | select(.name == $name)] as $p
  | ($p | map(.startEpochMs) | min) as $from
  | ($p | map(.startEpochMs + .durationMs) | max) as $to
  | {name: $name, startEpochMs: $from, durationMs: ($to - $from), offeredPerSecond: ($p | sum(.offeredPerSecond)),
     attempts: ($p | sum(.attempts)), ok: ($p | sum(.ok)), achievedPerSecond: ($p | sum(.achievedPerSecond) | . * 10 | round / 10),
     failures: counts($p | map(.failures)), failureCount: ($p | sum(.failureCount)),
     failureExamples: ($p | map(.failureExamples // {}) | add), latency: worst($p | map(.latency)),
     handshakes: ($p | sum(.handshakes)), connect: worst($p | map(.connect)), staleRetries: ($p | sum(.staleRetries)),
     schedulingLag: worst($p | map(.schedulingLag)), sensorsReported: ($p | sum(.sensorsReported)),
     sensors: ($p | sum(.sensors)),
     allReportedAfterMs: (if ($p | map(.allReportedAfterMs) | any(. == null)) or ($p | length) < (rs | length) then null
                          else $p | map(.startEpochMs + .allReportedAfterMs) | max - $from end)};

# Workloads beside heartbeats: settings acknowledgements per revision (times concatenated), backup
# uploads (listed), alerts (counted).
def workloads(rs):
  [rs[] | .workloads // {}] as $w
  | ($w | map(.settings | select(. != null))) as $s
  | ($w | map(.backups | select(. != null))) as $b
  | ($w | map(.alerts | select(. != null))) as $a
  | {}
  + (if ($s | length) == 0 then {} else {settings: {polls: ($s | sum(.polls)), repeatedAcks: ($s | sum(.repeatedAcks // 0)), failures: counts($s | map(.failures)),
       failureExamples: ($s | map(.failureExamples) | add),
       revisions: ([$s[].revisions[]] | group_by(.revision) | map({revision: .[0].revision,
         acknowledged: (map(.acknowledged) | add), acceptedAtEpochMs: (map(.acceptedAtEpochMs[]) | sort),
         receivedAtEpochMs: (map((.receivedAtEpochMs // [])[]) | sort)}))}} end)
  + (if ($b | length) == 0 then {} else {backups: {file: $b[0].file, fileBytes: $b[0].fileBytes, sensors: ($b | sum(.sensors)),
       uploads: [$b[].uploads[]], failures: counts($b | map(.failures)), failureExamples: ($b | map(.failureExamples) | add)}} end)
  + (if ($a | length) == 0 then {} else {alerts: {offeredPerSecond: ($a | sum(.offeredPerSecond)), sensors: ($a | sum(.sensors)),
       phase: $a[0].phase, created: ($a | sum(.created)), accepted: ($a | sum(.accepted)), abandoned: ($a | sum(.abandoned // 0)), duplicates: ($a | sum(.duplicates)),
       resent: ($a | sum(.resent)), firstEpochMs: ($a | map(.firstEpochMs | select(. > 0)) | min),
       lastEpochMs: ($a | map(.lastEpochMs) | max), latency: worst($a | map(.latency)),
       failures: counts($a | map(.failures)), failureExamples: ($a | map(.failureExamples) | add)}} end);

.enroll as $enroll | .run as $run
| (if ($run | length) > 0 then $run else $enroll end) as $main
| {settings: ($main[0].settings + {sensors: ($main | sum(.settings.sensors)), simulators: ($main | length)}),
   enrollment: enrollment($enroll),
   phases: (if ($run | length) == 0 then [] else [$run[0].phases[].name | phase(.; $run)] end),
   workloads: workloads($run),
   # intervals do not line up between processes: the first simulator's timeline stands for the run
   timeline: (if ($run | length) == 0 then [] else ($run[0].timeline // []) end),
   startedAt: ($enroll + $run | map(.startedAt) | min), finishedAt: ($enroll + $run | map(.finishedAt) | max)}
