package io.sensorfleet.agent;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything an agent instance is configured with. Components receive it through their
 * constructors; a simulator builds one per simulated sensor.
 *
 * @param stateDir                  where identity, keys and status live
 * @param softwareVersion           reported on enrollment and in heartbeats
 * @param hostname                  sent on enrollment as the initial sensor name
 * @param clock                     source of time for heartbeats, renewal and status
 * @param heartbeatIntervalOverride when present, replaces the interval the console asks for
 * @param requestTimeout            connect and request timeout of every call to the console
 * @param backoffBase               first retry delay after a failed heartbeat; doubles up to the interval
 * @param enrollRetryBudget         how long {@code connect} may wait in total when the console answers
 *                                  429/503 with {@code Retry-After}
 */
public record AgentConfig(Path stateDir, String softwareVersion, String hostname, Clock clock,
                          Optional<Duration> heartbeatIntervalOverride, Duration requestTimeout,
                          Duration backoffBase, Duration enrollRetryBudget) {

    public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/sensorfleet-agent");

    public AgentConfig {
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(softwareVersion, "softwareVersion");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(heartbeatIntervalOverride, "heartbeatIntervalOverride");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(backoffBase, "backoffBase");
        Objects.requireNonNull(enrollRetryBudget, "enrollRetryBudget");
        heartbeatIntervalOverride.ifPresent(interval -> {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("heartbeat interval must be positive");
            }
        });
    }

    /** Production defaults: the standard state dir, this jar's version, the machine's host name, UTC system clock. */
    public static AgentConfig defaults() {
        return new AgentConfig(DEFAULT_STATE_DIR, AgentVersion.current(), localHostname(), Clock.systemUTC(),
                Optional.empty(), Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(60));
    }

    public AgentConfig withStateDir(Path dir) {
        return new AgentConfig(dir, softwareVersion, hostname, clock, heartbeatIntervalOverride, requestTimeout,
                backoffBase, enrollRetryBudget);
    }

    public AgentConfig withClock(Clock newClock) {
        return new AgentConfig(stateDir, softwareVersion, hostname, newClock, heartbeatIntervalOverride,
                requestTimeout, backoffBase, enrollRetryBudget);
    }

    public AgentConfig withHeartbeatInterval(Duration interval) {
        return new AgentConfig(stateDir, softwareVersion, hostname, clock, Optional.of(interval), requestTimeout,
                backoffBase, enrollRetryBudget);
    }

    public AgentConfig withSoftwareVersion(String version) {
        return new AgentConfig(stateDir, version, hostname, clock, heartbeatIntervalOverride, requestTimeout,
                backoffBase, enrollRetryBudget);
    }

    public AgentConfig withHostname(String name) {
        return new AgentConfig(stateDir, softwareVersion, name, clock, heartbeatIntervalOverride, requestTimeout,
                backoffBase, enrollRetryBudget);
    }

    /**
     * The appliance's host name. /etc/hostname first because a reverse DNS lookup through
     * {@link InetAddress} can hang for seconds on appliances without working DNS.
     */
    static String localHostname() {
        try {
            Path etc = Path.of("/etc/hostname");
            if (Files.isReadable(etc)) {
                String name = Files.readString(etc).strip();
                if (!name.isEmpty()) {
                    return name;
                }
            }
        } catch (IOException e) {
            // fall through to the resolver
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "sensor";
        }
    }
}
