package io.sensorfleet.console.agentplane;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The agent plane: HTTPS with client certificates, where sensors enroll and report. */
@ConfigMapping(prefix = "sensorfleet.agent-plane")
public interface AgentPlaneConfig {
    /** Interface to listen on. */
    @WithDefault("0.0.0.0")
    String host();

    /** TCP port (0 picks a free one, for tests). */
    @WithDefault("9443")
    int port();

    /**
     * Addresses sensors use to reach the agent plane, {@code host:port}, in the order agents try
     * them; they go into connection strings and the server certificate. Set one per console
     * instance or load balancer. Default: 127.0.0.1 and this machine's host name at the listening port.
     */
    Optional<List<String>> advertisedAddresses();

    /** How often each instance reloads revoked certificates from the database. */
    @WithDefault("2s")
    Duration revocationPollInterval();

    /** Largest request body accepted on the agent plane. */
    @WithDefault("65536")
    int maxBodyBytes();

    /**
     * How many event loops serve the agent plane, each with its own listener on the port; new
     * connections are spread over them. TLS handshakes and heartbeats are CPU work on these loops,
     * so one per processor lets them use every core. Default: the number of processors.
     */
    Optional<Integer> eventLoops();

    /**
     * Which TLS implementation serves the agent plane: {@code openssl} (BoringSSL through
     * netty-tcnative: handshakes cost a fraction of the JDK's CPU), {@code jdk}, or {@code auto} —
     * OpenSSL when netty-tcnative is on the class path, the JDK otherwise.
     */
    @WithDefault("auto")
    TlsEngine tlsEngine();

    /**
     * How long a new connection may take to complete its TLS handshake before it is closed. Longer
     * than a sensor's request timeout (10 s): after a restart thousands of sensors reconnect at once,
     * and a handshake cut because the console or the sensor was slow to do its part is done again
     * from the start (seen in the reconnect-storm benchmarks at Vert.x's default of 10 s).
     */
    @WithDefault("30s")
    Duration handshakeTimeout();

    enum TlsEngine { AUTO, JDK, OPENSSL }
}
