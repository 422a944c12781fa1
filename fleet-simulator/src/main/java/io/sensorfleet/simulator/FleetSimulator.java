package io.sensorfleet.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs a simulated fleet: gets identities (from the identities file, else by enrolling with
 * connection strings), then lets every sensor report until the measured phase is over or a
 * controller says {@code stop}, and returns (and optionally writes) a {@link SimulationReport}.
 * <p>
 * Phases without a controller: {@code ramp} (first heartbeats spread over the ramp time),
 * {@code warmup}, {@code steady} (the measured one). With {@link SimulatorOptions#controlInput()}
 * the phases after the ramp are whatever the controller names ({@code phase <name>} lines), and
 * {@code stop} ends the run. Progress and events ({@code event all-reported phase=…}) go to {@code out}.
 */
public final class FleetSimulator {
    private static final ObjectMapper JSON = SimulatorJson.mapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String STOPPING = "stopping";
    /** The length of a timeline interval: the resource samples of bench/run.sh are taken as often. */
    private static final long TIMELINE_EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final SimulatorOptions options;
    private final SensorBehaviour behaviour;
    private final PrintWriter out;
    private final Reader control;
    private final SensorTls tls = new SensorTls();
    private final Connector connector;
    private final CountDownLatch stopRequested = new CountDownLatch(1);

    /**
     * @param control where {@code phase}/{@code stop} commands come from when the options ask for
     *                a controller (usually standard input)
     */
    public FleetSimulator(SimulatorOptions options, SensorBehaviour behaviour, PrintWriter out, Reader control) {
        this.options = options;
        this.behaviour = behaviour;
        this.out = out;
        this.control = control;
        this.connector = new Connector(options);
    }

    /** Ends the run early (as a {@code stop} command would); safe from any thread. */
    public void stop() {
        stopRequested.countDown();
    }

    public SimulationReport run() throws IOException, InterruptedException {
        Instant startedAt = Instant.now();
        Identities got = identities();
        List<SimulatedIdentity> identities = got.identities();
        if (identities.isEmpty()) {
            throw new IOException("no sensor could be enrolled: " + got.enrollment().failures());
        }
        int interval = options.intervalSeconds() != null ? options.intervalSeconds()
                : identities.getFirst().heartbeatIntervalSeconds() > 0 ? identities.getFirst().heartbeatIntervalSeconds() : 30;
        Duration ramp = options.ramp() != null ? options.ramp() : Duration.ofSeconds(interval);
        SimulationReport.Settings settings = new SimulationReport.Settings(identities.size(), interval,
                HeartbeatFleet.JITTER, (int) options.clientKeepAlive().toSeconds(), (int) ramp.toSeconds(),
                options.bindAddresses().stream().map(a -> a.getHostAddress()).toList(),
                Runtime.version().toString(), Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory());
        if (options.enrollOnly()) {
            return finish(new SimulationReport(settings, got.enrollment(), List.of(), java.util.Map.of(), startedAt, Instant.now(),
                    List.of()));
        }

        double offered = Math.round(identities.size() * 10.0 / interval) / 10.0;
        // Without a controller a zero ramp or warmup is no phase at all, so the first heartbeats count where they belong.
        String first = options.controlInput() || !ramp.isZero() ? "ramp" : options.warmup().isZero() ? "steady" : "warmup";
        Phases phases = new Phases(identities.size(), first);
        HeartbeatFleet fleet = new HeartbeatFleet(options, tls, connector, phases, behaviour, identities);
        log("heartbeats: %d sensors every %d s ±10 %% (%.1f/s offered), first ones spread over %d s",
                identities.size(), interval, offered, ramp.toSeconds());
        fleet.start(ramp);
        List<Workload> workloads = workloads();
        for (Workload w : workloads) {
            w.start(identities, phases, ramp);
            log("%s started", w.name());
        }
        if (options.controlInput()) {
            Thread.ofPlatform().daemon().name("simulator-control").start(() -> readControl(phases, fleet));
        }
        monitor(phases, fleet, workloads, ramp, offered);
        phases.timeline().cut(System.currentTimeMillis());
        // Stopping thousands of sensors takes seconds: that time and what completes in it belong to no phase.
        phases.begin(STOPPING);
        fleet.stop();
        java.util.Map<String, Object> done = new java.util.LinkedHashMap<>();
        for (Workload w : workloads) {
            w.stop();
            done.put(w.name(), w.report());
        }
        phases.endAll();
        List<SimulationReport.Phase> measured = phases.report(offered).stream()
                .filter(p -> !p.name().equals(STOPPING)).toList();
        return finish(new SimulationReport(settings, got.enrollment(), measured, done, startedAt, Instant.now(),
                phases.timeline().points()));
    }

    private List<Workload> workloads() {
        Workloads w = options.workloads();
        List<Workload> list = new ArrayList<>();
        if (w.settingsPoll()) {
            list.add(new SettingsPollers(options, tls, connector));
        }
        if (w.backupFile() != null) {
            list.add(new BackupUploaders(options, tls, w.backupFile(), w.backupSensors()));
        }
        if (w.alertsPerSecond() > 0) {
            list.add(new AlertBurst(options, tls, w));
        }
        return list;
    }

    private record Identities(List<SimulatedIdentity> identities, SimulationReport.Enrollment enrollment) {
    }

    private Identities identities() throws IOException, InterruptedException {
        List<SimulatedIdentity> loaded = options.identities() == null ? List.of() : IdentityFile.load(options.identities());
        if (loaded.size() >= options.count()) {
            log("%d identities loaded from %s; not enrolling", options.count(), options.identities());
            return new Identities(loaded.subList(0, options.count()), new SimulationReport.Enrollment(options.count(),
                    options.count(), 0, 0, 0, 0, "none", 0, java.util.Map.of(), 0, 0, 0, 0,
                    new LatencyHistogram().summary(), 0, 0, 0));
        }
        int missing = options.count() - loaded.size();
        int warmup = options.enrollWarmup();
        List<ConnectionString> created = connectionStrings(missing + warmup);
        List<ConnectionString> strings = created.subList(warmup, created.size());
        SimulationReport.Enrollment w = warmup == 0 ? null : warmUp(created.subList(0, warmup), loaded.size() + missing);
        log("enrolling %d sensors (%d in flight%s%s)", missing, options.enrollConcurrency(),
                options.enrollRate() > 0 ? ", " + options.enrollRate() + "/s" : "",
                options.replayFraction() > 0 ? ", " + Math.round(options.replayFraction() * 100) + " % of tokens sent twice" : "");
        EnrollmentBurst.Result burst = new EnrollmentBurst(options, tls).enroll(strings, loaded.size());
        SimulationReport.Enrollment e = burst.report();
        log("enrolled %d of %d in %.1f s (%.1f/s), %d throttled (429), failures %s, replays %d/%d rejected, duplicate serials %d",
                e.enrolled(), e.requested(), e.durationMs() / 1000.0, e.perSecond(), e.throttled(), e.failures(),
                e.replaysRejected(), e.replaysSent(), e.duplicateSerials());
        List<SimulatedIdentity> all = new ArrayList<>(loaded);
        all.addAll(burst.identities());
        if (options.identities() != null) {
            IdentityFile.save(options.identities(), all);
        }
        // The warm-up's correctness counts (replays, serials, failures) count with the burst's; its timing does not.
        java.util.Map<String, Long> failures = new java.util.TreeMap<>(e.failures());
        if (w != null) {
            w.failures().forEach((kind, n) -> failures.merge("warmup-" + kind, n, Long::sum));
        }
        return new Identities(all, new SimulationReport.Enrollment(e.requested(), loaded.size(), e.enrolled(),
                e.startEpochMs(), e.durationMs(), e.perSecond(), e.offered(), e.throttled(), failures,
                e.replaysSent() + (w == null ? 0 : w.replaysSent()),
                e.replaysRejected() + (w == null ? 0 : w.replaysRejected()),
                e.replaysAccepted() + (w == null ? 0 : w.replaysAccepted()),
                e.duplicateSerials() + (w == null ? 0 : w.duplicateSerials()), e.latency(), e.keyPreparationMs(),
                w == null ? 0 : w.enrolled(), w == null ? 0 : w.durationMs()));
    }

    /** Enrolls the warm-up sensors (named after the measured ones); they are neither measured nor saved. */
    private SimulationReport.Enrollment warmUp(List<ConnectionString> strings, int firstIndex) throws InterruptedException {
        log("warm-up: enrolling %d sensors first, not measured", strings.size());
        SimulationReport.Enrollment w = new EnrollmentBurst(options, tls).enroll(strings, firstIndex).report();
        log("warm-up: enrolled %d of %d in %.1f s (%.1f/s), failures %s", w.enrolled(), w.requested(),
                w.durationMs() / 1000.0, w.perSecond(), w.failures());
        return w;
    }

    private List<ConnectionString> connectionStrings(int count) throws IOException {
        if (options.connectionStrings() != null) {
            return ConnectionStringSource.fromFile(options.connectionStrings(), count);
        }
        if (options.console() == null) {
            throw new IOException(options.identities() + " holds fewer than " + options.count()
                    + " identities; give --connection-strings or --console to enroll the rest");
        }
        log("creating %d connection strings at %s", count, options.console());
        return ConnectionStringSource.fromConsole(options.console(), options.adminUser(), options.adminPassword(),
                options.operatorCertificate(), count, "simulated sensors (" + options.namePrefix() + ")");
    }

    /** Switches automatic phases, prints progress and events, and returns when the run is over. */
    private void monitor(Phases phases, HeartbeatFleet fleet, List<Workload> workloads, Duration ramp, double offered)
            throws InterruptedException {
        long start = System.nanoTime();
        long rampEnd = start + ramp.toNanos();
        long warmupEnd = rampEnd + options.warmup().toNanos();
        long measuredEnd = warmupEnd + options.duration().toNanos();
        boolean timed = !options.duration().isZero();
        long lastProgress = start;
        long lastCut = start;
        long lastOk = 0;
        String announced = null;
        while (!stopRequested.await(250, TimeUnit.MILLISECONDS)) {
            long now = System.nanoTime();
            PhaseStats phase = phases.current();
            if (!options.controlInput()) {
                if (phase.name().equals("ramp") && now >= rampEnd) {
                    phase = phases.begin(options.warmup().isZero() ? "steady" : "warmup");
                    log("phase %s", phase.name());
                } else if (phase.name().equals("warmup") && now >= warmupEnd) {
                    phase = phases.begin("steady");
                    log("phase steady");
                }
            }
            if (timed && now >= measuredEnd) {
                break;
            }
            if (now - lastCut >= TIMELINE_EVERY_NANOS) {
                phases.timeline().cut(System.currentTimeMillis());
                lastCut = now;
            }
            SimulationReport.Phase snapshot = phase.report(now, offered);
            if (snapshot.allReportedAfterMs() != null && !phase.name().equals(announced)) {
                announced = phase.name();
                event("all-reported phase=" + phase.name() + " afterMs=" + snapshot.allReportedAfterMs());
            }
            if (now - lastProgress >= options.progressEvery().toNanos()) {
                double seconds = (now - lastProgress) / 1e9;
                long total = okTotal(phases, now, offered);
                log("phase=%s sensors=%d reported=%d connections=%d ok/s=%.1f failures=%s p50=%.1fms p99=%.1fms",
                        phase.name(), snapshot.sensors(), snapshot.sensorsReported(), fleet.openConnections(),
                        (total - lastOk) / seconds, snapshot.failures(), snapshot.latency().p50(),
                        snapshot.latency().p99());
                for (Workload w : workloads) {
                    log("%s", w.progress());
                }
                lastOk = total;
                lastProgress = now;
            }
        }
    }

    private static long okTotal(Phases phases, long now, double offered) {
        return phases.report(offered).stream().mapToLong(SimulationReport.Phase::ok).sum();
    }

    /**
     * {@code phase <name>} starts a phase; {@code phase <name> with-reconnected} also counts as
     * reported in it the sensors already back on connections opened in the phase before (see
     * {@link HeartbeatFleet#countReconnected}); {@code stop} ends the run.
     */
    private void readControl(Phases phases, HeartbeatFleet fleet) {
        try (BufferedReader reader = new BufferedReader(control)) {
            String line;
            while ((line = reader.readLine()) != null) {
                String command = line.strip();
                if (command.equals("stop")) {
                    break;
                }
                String[] words = command.split("\\s+");
                if (words.length == 2 && words[0].equals("phase")) {
                    PhaseStats p = phases.begin(words[1]);
                    log("phase %s", p.name());
                } else if (words.length == 3 && words[0].equals("phase") && words[2].equals("with-reconnected")) {
                    PhaseStats previous = phases.current();
                    PhaseStats p = phases.begin(words[1]);
                    log("phase %s: %d sensors already back on connections opened in phase %s", p.name(),
                            fleet.countReconnected(previous, p), previous.name());
                } else if (!command.isEmpty()) {
                    log("unknown control command '%s' (use 'phase <name> [with-reconnected]' or 'stop')", command);
                }
            }
        } catch (IOException e) {
            log("control input failed: %s", e.getMessage());
        }
        stop();
    }

    private SimulationReport finish(SimulationReport report) throws IOException {
        if (options.report() != null) {
            Path file = options.report().toAbsolutePath();
            Files.createDirectories(file.getParent());
            JSON.writeValue(file.toFile(), report);
        }
        for (SimulationReport.Phase p : report.phases()) {
            log("%-10s %6.0f s  ok %d (%.1f/s of %.1f offered)  failures %s  latency p50 %.1f p95 %.1f p99 %.1f max %.1f ms"
                            + "  handshakes %d  all reported %s",
                    p.name(), p.durationMs() / 1000.0, p.ok(), p.achievedPerSecond(), p.offeredPerSecond(), p.failures(),
                    p.latency().p50(), p.latency().p95(), p.latency().p99(), p.latency().max(), p.handshakes(),
                    p.allReportedAfterMs() == null ? "no (" + p.sensorsReported() + "/" + p.sensors() + ")"
                            : "after " + p.allReportedAfterMs() + " ms");
        }
        return report;
    }

    private void log(String format, Object... args) {
        out.println("[simulate " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "] "
                + String.format(Locale.ROOT, format, args));
        out.flush();
    }

    private void event(String what) {
        out.println("event " + what);
        out.flush();
    }

    /** Standard input as the control channel. */
    public static Reader stdin() {
        return new InputStreamReader(System.in, StandardCharsets.UTF_8);
    }
}
