package io.sensorfleet.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorfleet.agent.identity.CsrFactory;
import io.sensorfleet.agent.identity.IssuedCertificates;
import io.sensorfleet.agent.identity.Pem;
import io.sensorfleet.protocol.v1.enrollment.AgentAddress;
import io.sensorfleet.protocol.v1.AgentPaths;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;
import io.sensorfleet.protocol.v1.enrollment.EnrollRequest;
import io.sensorfleet.protocol.v1.enrollment.EnrollResponse;
import io.sensorfleet.protocol.v1.enrollment.Fingerprints;
import io.sensorfleet.protocol.v1.Problem;

import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;

/**
 * Enrolls many sensors the way the agent's {@code connect} does — new EC P-256 key, CSR, one-time
 * token over TLS pinned to the connection string's CA, answer checked before it is kept — with a
 * bounded number in flight. Keys and CSRs are made before the clock starts: on real sensors each
 * makes its own, so their cost must not count against the console.
 * <p>
 * Optionally sends a share of the tokens twice at the same moment with different keys: exactly one
 * of the two may succeed, which is how "each token usable exactly once" is checked under load.
 */
final class EnrollmentBurst {
    /** Like the agent: wait out 429/503 Retry-After for at most this long per sensor. */
    private static final Duration RETRY_BUDGET = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = SimulatorJson.mapper();

    private final SimulatorOptions options;
    private final SensorTls tls;
    private final LatencyHistogram latency = new LatencyHistogram();
    private final LongAdder throttled = new LongAdder();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final Set<BigInteger> serials = ConcurrentHashMap.newKeySet();
    private final LongAdder duplicateSerials = new LongAdder();
    private final LongAdder replaysRejected = new LongAdder();
    private final LongAdder replaysAccepted = new LongAdder();
    private final Map<String, X509Certificate> cas = new ConcurrentHashMap<>();

    EnrollmentBurst(SimulatorOptions options, SensorTls tls) {
        this.options = options;
        this.tls = tls;
    }

    /** A prepared enrollment: the key stays here, the CSR goes to the console. */
    private record Attempt(int index, ConnectionString connection, KeyPair keys, String csrPem) {
    }

    private record Outcome(SimulatedIdentity identity, String failure) {
    }

    /**
     * @param firstIndex number of the first sensor, for its host name
     * @return the enrolled identities (fewer than the strings when some failed) and the statistics
     */
    Result enroll(List<ConnectionString> strings, int firstIndex) throws InterruptedException {
        long prepareStart = System.nanoTime();
        CsrFactory csrs = new CsrFactory();
        int replays = (int) Math.round(strings.size() * options.replayFraction());
        List<Attempt> attempts = IntStream.range(0, strings.size()).parallel()
                .mapToObj(i -> prepare(csrs, firstIndex + i, strings.get(i))).toList();
        List<Attempt> replayAttempts = IntStream.range(0, replays).parallel()
                .mapToObj(i -> prepare(csrs, firstIndex + i, strings.get(i))).toList();
        long prepareMs = (System.nanoTime() - prepareStart) / 1_000_000;

        AtomicReferenceArray<Outcome> first = new AtomicReferenceArray<>(strings.size());
        AtomicReferenceArray<Outcome> second = new AtomicReferenceArray<>(replays);
        Semaphore inFlight = new Semaphore(options.enrollConcurrency());
        long start = System.nanoTime();
        long startEpochMs = System.currentTimeMillis();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < attempts.size(); i++) {
                pace(start, i);
                int n = i;
                inFlight.acquire();
                futures.add(executor.submit(() -> {
                    try {
                        first.set(n, attempt(attempts.get(n)));
                    } finally {
                        inFlight.release();
                    }
                }));
                if (n < replays) {
                    // Same token, other key, same moment: the console must let exactly one through.
                    inFlight.acquire();
                    futures.add(executor.submit(() -> {
                        try {
                            second.set(n, attempt(replayAttempts.get(n)));
                        } finally {
                            inFlight.release();
                        }
                    }));
                }
            }
        }
        long durationNanos = System.nanoTime() - start;

        List<SimulatedIdentity> identities = new ArrayList<>();
        for (int i = 0; i < strings.size(); i++) {
            Outcome a = first.get(i);
            Outcome b = i < replays ? second.get(i) : null;
            if (b != null && a.identity() != null && b.identity() != null) {
                replaysAccepted.increment();
            } else if (b != null && (a.identity() != null || b.identity() != null)) {
                replaysRejected.increment();
            }
            SimulatedIdentity kept = a.identity() != null ? a.identity() : b == null ? null : b.identity();
            if (kept != null) {
                identities.add(kept);
            } else {
                // The first attempt's reason is the one that counts; a replay's refusal is expected.
                failures.computeIfAbsent(a.failure(), k -> new LongAdder()).increment();
            }
        }
        Map<String, Long> failed = new TreeMap<>();
        failures.forEach((k, v) -> failed.put(k, v.sum()));
        long durationMs = Math.max(1, durationNanos / 1_000_000);
        long enrolled = identities.size();
        String offered = options.enrollRate() > 0 ? options.enrollRate() + "/s, at most "
                + options.enrollConcurrency() + " in flight" : "closed loop, " + options.enrollConcurrency() + " in flight";
        SimulationReport.Enrollment report = new SimulationReport.Enrollment(strings.size(), 0, enrolled, startEpochMs, durationMs,
                Math.round(enrolled * 10_000.0 / durationMs) / 10.0, offered, throttled.sum(), failed, replays,
                replaysRejected.sum(), replaysAccepted.sum(), duplicateSerials.sum(), latency.summary(), prepareMs, 0, 0);
        return new Result(identities, report);
    }

    record Result(List<SimulatedIdentity> identities, SimulationReport.Enrollment report) {
    }

    private Attempt prepare(CsrFactory csrs, int index, ConnectionString connection) {
        KeyPair keys = csrs.newKeyPair();
        return new Attempt(index, connection, keys, csrs.csrPem(keys));
    }

    private void pace(long start, int i) throws InterruptedException {
        if (options.enrollRate() <= 0) {
            return;
        }
        long due = start + (long) (i * 1_000_000_000L / options.enrollRate());
        long wait = due - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(Duration.ofNanos(wait));
        }
    }

    /** One sensor's enrollment, with the agent's Retry-After handling; never throws. */
    private Outcome attempt(Attempt attempt) {
        String name = options.namePrefix() + "-" + String.format("%06d", attempt.index());
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(new EnrollRequest(attempt.connection().token(), attempt.csrPem(), name,
                    options.softwareVersion()));
        } catch (IOException e) {
            return new Outcome(null, "io");
        }
        long waited = 0;
        int timeout = (int) options.requestTimeout().toMillis();
        String lastFailure = "no-address";
        while (true) {
            Long retryAfterMs = null;
            for (AgentAddress address : attempt.connection().addresses()) {
                long begin = System.nanoTime();
                try (AgentConnection c = AgentConnection.open(tls.pinned(attempt.connection().caFingerprint()), address,
                        bindAddress(), timeout)) {
                    AgentConnection.Reply reply = c.post(AgentPaths.ENROLL, body);
                    latency.recordNanos(System.nanoTime() - begin);
                    if (reply.status() == 200) {
                        return accepted(attempt, address, reply.body());
                    }
                    if (reply.status() == 429 || reply.status() == 503) {
                        throttled.increment();
                        lastFailure = "http-" + reply.status() + (reply.retryAfter() == null ? "-without-retry-after" : "");
                        retryAfterMs = retryAfterMillis(reply.retryAfter(), retryAfterMs);
                        continue;
                    }
                    // A token problem is final, as for the agent.
                    return new Outcome(null, "http-" + reply.status() + problemType(reply.body()));
                } catch (ExchangeException e) {
                    latency.recordNanos(System.nanoTime() - begin);
                    lastFailure = e.kind();
                }
            }
            if (retryAfterMs == null || waited + retryAfterMs > RETRY_BUDGET.toMillis()) {
                return new Outcome(null, lastFailure);
            }
            try {
                // Spread the retries a little, so throttled sensors do not return in lock step.
                long pause = retryAfterMs + ThreadLocalRandom.current().nextLong(Math.max(1, retryAfterMs / 2));
                Thread.sleep(pause);
                waited += pause;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome(null, "interrupted");
            }
        }
    }

    private Outcome accepted(Attempt attempt, AgentAddress address, byte[] body) {
        try {
            EnrollResponse response = JSON.readValue(body, EnrollResponse.class);
            X509Certificate ca = cas.computeIfAbsent(response.caCertificatePem(), EnrollmentBurst::readCa);
            if (!Fingerprints.sha256Hex(ca.getEncoded()).equals(attempt.connection().caFingerprint())) {
                return new Outcome(null, "foreign-ca");
            }
            X509Certificate certificate = IssuedCertificates.verify(response.certificatePem(),
                    attempt.keys().getPublic(), ca, Instant.now());
            if (!serials.add(certificate.getSerialNumber())) {
                duplicateSerials.increment();
            }
            Set<AgentAddress> addresses = new LinkedHashSet<>(attempt.connection().addresses());
            if (response.addresses() != null) {
                response.addresses().forEach(a -> addresses.add(AgentAddress.parse(a)));
            }
            return new Outcome(new SimulatedIdentity(response.sensorId(), response.sensorName(),
                    attempt.keys().getPrivate(), certificate, ca, List.copyOf(addresses),
                    response.heartbeatIntervalSeconds()), null);
        } catch (IOException | CertificateException | RuntimeException e) {
            return new Outcome(null, "invalid-answer");
        }
    }

    private java.net.InetAddress bindAddress() {
        List<java.net.InetAddress> all = options.bindAddresses();
        return all.isEmpty() ? null : all.get(ThreadLocalRandom.current().nextInt(all.size()));
    }

    private static X509Certificate readCa(String pem) {
        try {
            return Pem.readCertificate(pem);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("unreadable CA certificate", e);
        }
    }

    private static Long retryAfterMillis(String header, Long current) {
        long ms = header != null && header.strip().matches("[0-9]{1,6}") ? Long.parseLong(header.strip()) * 1000 : 1000;
        return current == null ? ms : Math.min(current, ms);
    }

    /** {@code :token-used} from a problem body, so refusals are counted by reason. */
    private static String problemType(byte[] body) {
        try {
            Problem p = JSON.readValue(body, Problem.class);
            return p.type() == null ? "" : ":" + p.type().replace(Problem.TYPE_PREFIX, "");
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
