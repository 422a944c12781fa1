package io.sensorfleet.simulator;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code sensor-agent simulate --report FILE} writes (JSON). Latencies are in milliseconds and
 * measured at the simulated sensor, from the moment it starts a request (including connecting
 * and the TLS handshake when it has no open connection) to the parsed answer.
 *
 * @param settings   how the run was configured
 * @param enrollment how the sensors got their identities
 * @param phases     heartbeat statistics per phase, in order
 * @param workloads  what each workload beside the heartbeats did, by its name (settings, backups, alerts)
 * @param timeline   heartbeat statistics in consecutive intervals of a few seconds, over every phase
 */
public record SimulationReport(Settings settings, Enrollment enrollment, List<Phase> phases,
                               Map<String, Object> workloads, Instant startedAt, Instant finishedAt,
                               List<TimelinePoint> timeline) {

    /**
     * @param okPerSecond heartbeats answered 200 per second in the interval
     * @param failures    failed heartbeats in the interval
     * @param latency     of the heartbeats answered in the interval
     */
    public record TimelinePoint(long startEpochMs, long endEpochMs, long ok, double okPerSecond, long failures,
                                LatencyHistogram.Summary latency) {
    }

    /**
     * @param sensors                number of simulated sensors
     * @param intervalSeconds        heartbeat interval used (override or the console's)
     * @param jitter                 ± fraction applied to every interval
     * @param clientKeepAliveSeconds a connection idle longer than this is replaced before the next
     *                               heartbeat; 0 = one connection per heartbeat
     * @param bindAddresses          local addresses connections are spread over
     * @param javaVersion            runtime of the simulator
     */
    public record Settings(int sensors, int intervalSeconds, double jitter, int clientKeepAliveSeconds,
                           int rampSeconds, List<String> bindAddresses, String javaVersion, int availableProcessors,
                           long maxHeapBytes) {
    }

    /**
     * @param requested          sensors the run needed
     * @param loaded             identities read from the identities file (not enrolled again)
     * @param enrolled           enrollments that succeeded in this run
     * @param startEpochMs       when the first enrollment request was sent (0 when none was)
     * @param durationMs         from the first enrollment request to the last answer
     * @param perSecond          enrolled / duration
     * @param offered            how enrollments were offered: "closed loop, C in flight" or "R/s"
     * @param throttled          429 answers (with Retry-After) that were retried
     * @param failures           final failures by kind
     * @param replaysSent        tokens sent a second time, concurrently, with another key
     * @param replaysRejected    of those, refused by the console as they must be
     * @param replaysAccepted    of those, accepted: a token used twice (must be 0)
     * @param duplicateSerials   certificate serials issued twice as seen by the sensors (must be 0)
     * @param latency            per enrollment request
     * @param keyPreparationMs   time spent generating key pairs and CSRs before the burst (not timed in it)
     * @param warmupEnrolled     sensors enrolled before the burst to warm both sides up (not in the figures above
     *                           but the replay, serial and failure counts)
     * @param warmupDurationMs   how long that warm-up took
     */
    public record Enrollment(int requested, int loaded, long enrolled, long startEpochMs, long durationMs, double perSecond,
                             String offered, long throttled, Map<String, Long> failures, long replaysSent,
                             long replaysRejected, long replaysAccepted, long duplicateSerials,
                             LatencyHistogram.Summary latency, long keyPreparationMs, long warmupEnrolled,
                             long warmupDurationMs) {
    }

    /**
     * @param offeredPerSecond      heartbeats per second the fleet is meant to send
     * @param attempts              heartbeat requests started
     * @param ok                    answered 200
     * @param achievedPerSecond     ok per second over the phase
     * @param failures              failed heartbeats by kind (http-429, connect-refused, tls-handshake…)
     * @param failureCount          sum of failures
     * @param failureExamples       the first message seen for each kind
     * @param handshakes            new TLS connections opened
     * @param connect               time to connect and handshake
     * @param staleRetries          requests repeated at once on a new connection because a kept-alive
     *                              one had been closed by the console (what java.net.http does too)
     * @param schedulingLag         how late requests started against their schedule: large values mean
     *                              the simulator, not the console, was the limit
     * @param sensorsReported       distinct sensors with at least one accepted heartbeat in the phase
     * @param allReportedAfterMs    from phase start until every sensor had reported; null if some never did
     */
    public record Phase(String name, long startEpochMs, long durationMs, double offeredPerSecond, long attempts,
                        long ok, double achievedPerSecond, Map<String, Long> failures, long failureCount,
                        Map<String, String> failureExamples,
                        LatencyHistogram.Summary latency, long handshakes, LatencyHistogram.Summary connect,
                        long staleRetries, LatencyHistogram.Summary schedulingLag, int sensorsReported, int sensors,
                        Long allReportedAfterMs) {
    }
}
