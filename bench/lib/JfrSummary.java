import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Where the console spent its CPU during a benchmark window, from a JFR recording: samples by
 * activity (TLS handshakes, enrollment, heartbeats, database…), by thread group, the hottest
 * methods, GC pauses and allocation. Run with the JDK's source launcher:
 *
 * <pre>java bench/lib/JfrSummary.java console.jfr [fromEpochMs toEpochMs]</pre>
 */
public final class JfrSummary {

    /** An activity is recognised by a frame anywhere in the sample's stack (first match wins). */
    private record Activity(String name, Predicate<String> frame) {
    }

    private static final List<Activity> ACTIVITIES = List.of(
            new Activity("enrollment: CSR check, certificate signing, token UPDATE (EnrollmentService)",
                    f -> f.startsWith("io.sensorfleet.console.enrollment.EnrollmentService.")),
            new Activity("heartbeat flush to PostgreSQL (HeartbeatBuffer.flush)",
                    f -> f.startsWith("io.sensorfleet.console.sensors.HeartbeatBuffer.flush")),
            new Activity("other scheduled database work (sweeper, revocation poll)",
                    f -> f.startsWith("io.sensorfleet.console.sensors.ConnectivitySweeper.")
                            || f.startsWith("io.sensorfleet.console.agentplane.RevocationList.refresh")),
            new Activity("TLS handshake (key exchange, signatures, client certificate validation)",
                    f -> f.startsWith("sun.security.ssl.HandshakeContext.dispatch")
                            || f.startsWith("sun.security.ssl.SSLEngineImpl$DelegatedTask")
                            || f.startsWith("sun.security.ssl.TransportContext.kickstart")
                            || f.startsWith("sun.security.provider.certpath.")
                            || f.startsWith("sun.security.ssl.X509TrustManagerImpl.")
                            || f.startsWith("io.sensorfleet.console.agentplane.ClientCertificateTrust.")
                            || f.startsWith("io.netty.handler.ssl.ReferenceCountedOpenSslEngine.handshake")
                            || f.startsWith("io.netty.handler.ssl.SslHandler.runDelegatedTasks")),
            new Activity("heartbeat handling (HeartbeatAgentRoutes.heartbeat: identity, JSON, buffer)",
                    f -> f.startsWith("io.sensorfleet.console.sensors.HeartbeatAgentRoutes.heartbeat")),
            new Activity("TLS records (encrypt/decrypt application data)",
                    f -> f.startsWith("sun.security.ssl.SSLEngineImpl.")),
            new Activity("HTTP and routing (Vert.x, Netty pipeline)",
                    f -> f.startsWith("io.vertx.") || f.startsWith("io.netty.")),
            new Activity("operator plane and metrics (RESTEasy, Micrometer)",
                    f -> f.startsWith("org.jboss.resteasy.") || f.startsWith("io.micrometer.")
                            || f.startsWith("io.quarkus.")));

    /** Methods whose inclusive share (any frame of the stack) says where enrollment and heartbeat time goes. */
    private static final List<String> INCLUSIVE = List.of(
            "io.sensorfleet.console.certificates.CsrReader.publicKey",
            "io.sensorfleet.console.certificates.InternalCa.issueSensorCertificate",
            "io.sensorfleet.console.enrollment.EnrollmentService.response",
            "io.sensorfleet.console.common.JdbcTransaction.run",
            "org.hibernate.",
            "org.postgresql.",
            "io.agroal.",
            "com.arjuna.",
            "com.fasterxml.jackson.",
            "io.sensorfleet.console.agentplane.SensorIdentity.of",
            "io.sensorfleet.console.sensors.HeartbeatBuffer.record",
            "io.micrometer.",
            "sun.security.ssl.",
            "sun.security.provider.certpath.",
            "sun.security.ec.",
            "io.netty.handler.ssl.");

    public static void main(String[] args) throws Exception {
        if (args.length != 1 && args.length != 3) {
            System.err.println("usage: java JfrSummary.java RECORDING.jfr [fromEpochMs toEpochMs]");
            System.exit(2);
        }
        Instant from = args.length == 3 ? Instant.ofEpochMilli(Long.parseLong(args[1])) : Instant.MIN;
        Instant to = args.length == 3 ? Instant.ofEpochMilli(Long.parseLong(args[2])) : Instant.MAX;
        Map<String, Long> activities = new LinkedHashMap<>();
        ACTIVITIES.forEach(a -> activities.put(a.name(), 0L));
        activities.put("other", 0L);
        Map<String, Long> inclusive = new LinkedHashMap<>();
        INCLUSIVE.forEach(m -> inclusive.put(m, 0L));
        Map<String, Long> threads = new HashMap<>();
        Map<String, Long> methods = new HashMap<>();
        Map<String, Long> allocations = new HashMap<>();
        long samples = 0;
        long gcPauses = 0;
        Duration gcPauseTotal = Duration.ZERO;
        Duration gcPauseMax = Duration.ZERO;
        List<Double> processCpu = new ArrayList<>();
        try (RecordingFile file = new RecordingFile(Path.of(args[0]))) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                if (e.getStartTime().isBefore(from) || e.getStartTime().isAfter(to)) {
                    continue;
                }
                switch (e.getEventType().getName()) {
                    case "jdk.ExecutionSample" -> {
                        samples++;
                        RecordedStackTrace stack = e.getStackTrace();
                        RecordedThread thread = e.getThread("sampledThread");
                        threads.merge(group(thread == null ? "?" : thread.getJavaName()), 1L, Long::sum);
                        if (stack == null || stack.getFrames().isEmpty()) {
                            continue;
                        }
                        methods.merge(name(stack.getFrames().getFirst()), 1L, Long::sum);
                        activities.merge(activity(stack), 1L, Long::sum);
                        for (String m : INCLUSIVE) {
                            if (stack.getFrames().stream().anyMatch(f -> name(f).startsWith(m))) {
                                inclusive.merge(m, 1L, Long::sum);
                            }
                        }
                    }
                    case "jdk.GarbageCollection" -> {
                        gcPauses++;
                        Duration pause = e.getDuration("sumOfPauses");
                        gcPauseTotal = gcPauseTotal.plus(pause);
                        gcPauseMax = pause.compareTo(gcPauseMax) > 0 ? pause : gcPauseMax;
                    }
                    case "jdk.ObjectAllocationSample" ->
                            allocations.merge(e.getClass("objectClass").getName(), e.getLong("weight"), Long::sum);
                    case "jdk.CPULoad" -> processCpu.add(e.getDouble("jvmUser") + e.getDouble("jvmSystem"));
                    default -> {
                    }
                }
            }
        }
        System.out.printf("JFR %s, window %s .. %s%n", args[0], args.length == 3 ? from : "start", args.length == 3 ? to : "end");
        System.out.printf("execution samples: %d%s%n", samples, processCpu.isEmpty() ? ""
                : String.format(", console process CPU (JFR) avg %.1f %% of the machine",
                processCpu.stream().mapToDouble(Double::doubleValue).average().orElse(0) * 100));
        System.out.println("\nCPU samples by activity (a sample counts for the first activity found in its stack):");
        print(activities, samples, 20);
        System.out.println("\nCPU samples with this code anywhere on the stack (inclusive; they overlap):");
        print(inclusive, samples, 20);
        System.out.println("\nCPU samples by thread group:");
        print(threads, samples, 8);
        System.out.println("\nhottest methods (self):");
        print(methods, samples, 15);
        System.out.printf("%nGC: %d collections, pauses %d ms in total, longest %d ms%n", gcPauses,
                gcPauseTotal.toMillis(), gcPauseMax.toMillis());
        long allocated = allocations.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("%nallocation (sampled weight) %d MB, by class:%n", allocated / 1_048_576);
        print(allocations, allocated, 8);
    }

    private static String activity(RecordedStackTrace stack) {
        for (Activity a : ACTIVITIES) {
            for (RecordedFrame f : stack.getFrames()) {
                if (a.frame().test(name(f))) {
                    return a.name();
                }
            }
        }
        return "other";
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    /** Thread names without their numbers: vert.x-eventloop-thread-3 → vert.x-eventloop-thread-#. */
    private static String group(String thread) {
        return thread.replaceAll("[0-9]+", "#");
    }

    private static void print(Map<String, Long> counts, long total, int limit) {
        counts.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(limit)
                .forEach(e -> System.out.printf("  %6.1f %%  %s%n", total == 0 ? 0 : e.getValue() * 100.0 / total, e.getKey()));
    }
}
