package io.sensorfleet.simulator;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a simulation runs. Built by the {@code simulate} command or by tests.
 *
 * @param count                  number of sensors
 * @param connectionStrings      file with one connection string per line; or null to create them
 *                               through {@code console}
 * @param console                operator-plane base URI (https://host:8443) to create connection strings at
 * @param adminUser              operator allowed to create connection strings
 * @param adminPassword          that operator's password
 * @param operatorCertificate    PEM certificate(s) the operator plane is trusted by (its self-signed
 *                               certificate or its CA); null = the JDK's default trust store
 * @param identities             file to load identities from and save new ones to; null = memory only
 * @param intervalSeconds        heartbeat interval replacing the console's; null = the console's
 * @param ramp                   first heartbeats spread uniformly over this time; null = one interval
 * @param warmup                 after the ramp, heartbeats that are not measured
 * @param duration               the measured phase; zero = until {@code stop} on the control input
 * @param clientKeepAlive        a connection idle longer than this is closed before the next heartbeat;
 *                               zero = one connection per heartbeat
 * @param watchConnection        while idle, each sensor watches its kept-alive connection as the agent's
 *                               work long-poll does: when the console closes it (a restart), the sensor
 *                               reconnects with the work loop's backoff and heartbeats as soon as the
 *                               console answers, as the agent does when its work poll finds the console back
 * @param maxConnecting          heartbeat connections being opened (TCP and TLS handshake) at once at most,
 *                               0 = no limit; a limit keeps a ramp the machine cannot take from turning into
 *                               handshake timeouts and retries (this process's own CPU is the limit then)
 * @param bindAddresses          local addresses to connect from, round-robin (more ephemeral ports on loopback)
 * @param enrollConcurrency      enrollments in flight at most
 * @param enrollRate             enrollments started per second at most; 0 = as fast as the concurrency allows
 * @param replayFraction         share of tokens sent twice at once with different keys, to check single use
 * @param enrollWarmup           sensors enrolled first and not measured (with extra connection strings), so the
 *                               measured enrollments meet a console and a simulator whose code is compiled
 * @param enrollOnly             stop after enrollment (and saving identities)
 * @param controlInput           accept {@code phase <name>} and {@code stop} lines on standard input
 * @param progressEvery          how often a progress line is printed
 * @param requestTimeout         connect, handshake and answer timeout of every request
 * @param softwareVersion        version reported on enrollment and in heartbeats
 * @param namePrefix             simulated host names are {@code <prefix>-<n>}
 * @param report                 where the JSON report goes; null = not written
 * @param workloads              what the sensors do beside heartbeating
 */
public record SimulatorOptions(int count, Path connectionStrings, URI console, String adminUser, String adminPassword,
                               Path operatorCertificate, Path identities, Integer intervalSeconds, Duration ramp,
                               Duration warmup, Duration duration, Duration clientKeepAlive,
                               boolean watchConnection, int maxConnecting, List<InetAddress> bindAddresses, int enrollConcurrency, double enrollRate,
                               double replayFraction, int enrollWarmup, boolean enrollOnly, boolean controlInput, Duration progressEvery,
                               Duration requestTimeout, String softwareVersion, String namePrefix,
                               Path report, Workloads workloads) {

    public SimulatorOptions {
        if (count < 1) {
            throw new IllegalArgumentException("--count must be at least 1");
        }
        if (connectionStrings == null && console == null && identities == null) {
            throw new IllegalArgumentException("give --connection-strings FILE, --console URL or --identities FILE");
        }
        if (intervalSeconds != null && intervalSeconds < 1) {
            throw new IllegalArgumentException("--interval-seconds must be at least 1");
        }
        if (maxConnecting < 0) {
            throw new IllegalArgumentException("--max-connecting must not be negative");
        }
        if (enrollConcurrency < 1) {
            throw new IllegalArgumentException("--enroll-concurrency must be at least 1");
        }
        if (enrollRate < 0) {
            throw new IllegalArgumentException("--enroll-rate must not be negative");
        }
        if (replayFraction < 0 || replayFraction > 1) {
            throw new IllegalArgumentException("--replay-fraction must be between 0 and 1");
        }
        if (enrollWarmup < 0) {
            throw new IllegalArgumentException("--enroll-warmup must not be negative");
        }
        Objects.requireNonNull(warmup, "warmup");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(clientKeepAlive, "clientKeepAlive");
        Objects.requireNonNull(progressEvery, "progressEvery");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        bindAddresses = bindAddresses == null ? List.of() : List.copyOf(bindAddresses);
        adminUser = adminUser == null ? "admin" : adminUser;
        softwareVersion = softwareVersion == null ? "1.0.0" : softwareVersion;
        namePrefix = namePrefix == null ? "sim" : namePrefix;
        workloads = workloads == null ? Workloads.NONE : workloads;
    }

    public static Builder builder(int count) {
        return new Builder(count);
    }

    /** Defaults: 32 enrollments in flight, 3 minutes measured after a ramp of one interval, connections kept 5 minutes. */
    public static final class Builder {
        private final int count;
        private Path connectionStrings;
        private URI console;
        private String adminUser;
        private String adminPassword;
        private Path operatorCertificate;
        private Path identities;
        private Integer intervalSeconds;
        private Duration ramp;
        private Duration warmup = Duration.ZERO;
        private Duration duration = Duration.ofMinutes(3);
        private Duration clientKeepAlive = Duration.ofMinutes(5);
        private boolean watchConnection;
        private int maxConnecting;
        private List<InetAddress> bindAddresses = List.of();
        private int enrollConcurrency = 32;
        private double enrollRate;
        private double replayFraction;
        private int enrollWarmup;
        private boolean enrollOnly;
        private boolean controlInput;
        private Duration progressEvery = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private String softwareVersion;
        private String namePrefix;
        private Path report;
        private Workloads workloads = Workloads.NONE;

        private Builder(int count) {
            this.count = count;
        }

        public Builder connectionStrings(Path file) {
            this.connectionStrings = file;
            return this;
        }

        public Builder console(URI uri, String user, String password, Path certificate) {
            this.console = uri;
            this.adminUser = user;
            this.adminPassword = password;
            this.operatorCertificate = certificate;
            return this;
        }

        public Builder identities(Path file) {
            this.identities = file;
            return this;
        }

        public Builder intervalSeconds(Integer seconds) {
            this.intervalSeconds = seconds;
            return this;
        }

        public Builder timing(Duration rampTime, Duration warmupTime, Duration measured) {
            this.ramp = rampTime;
            this.warmup = warmupTime;
            this.duration = measured;
            return this;
        }

        public Builder clientKeepAlive(Duration keepAlive) {
            this.clientKeepAlive = keepAlive;
            return this;
        }

        public Builder watchConnection(boolean watch) {
            this.watchConnection = watch;
            return this;
        }

        public Builder maxConnecting(int max) {
            this.maxConnecting = max;
            return this;
        }

        public Builder bindAddresses(List<InetAddress> addresses) {
            this.bindAddresses = addresses;
            return this;
        }

        public Builder enrollment(int concurrency, double rate, double replays) {
            this.enrollConcurrency = concurrency;
            this.enrollRate = rate;
            this.replayFraction = replays;
            return this;
        }

        public Builder enrollWarmup(int sensors) {
            this.enrollWarmup = sensors;
            return this;
        }

        public Builder enrollOnly(boolean only) {
            this.enrollOnly = only;
            return this;
        }

        public Builder controlInput(boolean on) {
            this.controlInput = on;
            return this;
        }

        public Builder progressEvery(Duration every) {
            this.progressEvery = every;
            return this;
        }

        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        public Builder naming(String version, String prefix) {
            this.softwareVersion = version;
            this.namePrefix = prefix;
            return this;
        }

        public Builder report(Path file) {
            this.report = file;
            return this;
        }

        public Builder workloads(Workloads w) {
            this.workloads = w;
            return this;
        }

        public SimulatorOptions build() {
            return new SimulatorOptions(count, connectionStrings, console, adminUser, adminPassword,
                    operatorCertificate, identities, intervalSeconds, ramp, warmup, duration, clientKeepAlive,
                    watchConnection, maxConnecting, bindAddresses, enrollConcurrency, enrollRate, replayFraction, enrollWarmup, enrollOnly, controlInput,
                    progressEvery, requestTimeout, softwareVersion, namePrefix, report, workloads);
        }
    }
}
