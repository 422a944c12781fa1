package io.sensorfleet.console.support;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Packaged console instances on one throwaway PostgreSQL with extra settings (short intervals for
 * tests), which can be stopped and started again. A restarted instance listens on the agent-plane
 * port it had before, so agents that enrolled through it find it again.
 */
public final class RestartableConsoles implements AutoCloseable {
    /** Heartbeats every 2 s, disconnect after 6 s of silence, fast outbox retries: an end-to-end test waits seconds. */
    public static final Map<String, String> FAST = Map.of(
            "SENSORFLEET_HEARTBEAT_INTERVAL", "2s",
            "SENSORFLEET_HEARTBEAT_SWEEP_INTERVAL", "1s",
            "SENSORFLEET_FORWARDING_POLL_INTERVAL", "200ms",
            "SENSORFLEET_FORWARDING_RETRY_BASE", "200ms",
            "SENSORFLEET_FORWARDING_RETRY_CAP", "1s",
            "SENSORFLEET_FORWARDING_MAX_ATTEMPTS", "10000",
            "SENSORFLEET_FORWARDING_CONNECT_TIMEOUT", "2s",
            "SENSORFLEET_FORWARDING_LEASE", "20s");

    private final ThrowawayPostgres pg;
    private final String masterKey;
    private final Map<String, String> env;
    private final List<ConsoleProcess> consoles = new ArrayList<>();
    private final List<Integer> agentPorts = new ArrayList<>();

    private RestartableConsoles(ThrowawayPostgres pg, String masterKey, Map<String, String> env) {
        this.pg = pg;
        this.masterKey = masterKey;
        this.env = env;
    }

    public static RestartableConsoles start(int instances, Map<String, String> env) throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        RestartableConsoles c = new RestartableConsoles(ThrowawayPostgres.start(),
                Base64.getEncoder().encodeToString(key), env);
        try {
            for (int i = 0; i < instances; i++) {
                ConsoleProcess p = ConsoleProcess.start(c.pg, c.masterKey, env);
                c.consoles.add(p);
                c.agentPorts.add(p.agentPort);
            }
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** The database the instances share, e.g. to stop and start it. */
    public ThrowawayPostgres postgres() {
        return pg;
    }

    public ConsoleProcess console(int i) {
        return consoles.get(i);
    }

    /** The agent plane of instance {@code i}, the same across restarts. */
    public String agentBaseUri(int i) {
        return "https://127.0.0.1:" + agentPorts.get(i);
    }

    public void stop(int i) {
        consoles.get(i).close();
    }

    /** Starts instance {@code i} again (after {@link #stop}) on the same database and agent-plane port. */
    public ConsoleProcess restart(int i) throws Exception {
        consoles.get(i).close();
        Map<String, String> again = new HashMap<>(env);
        again.put("SENSORFLEET_AGENT_PLANE_PORT", String.valueOf(agentPorts.get(i)));
        ConsoleProcess p = ConsoleProcess.start(pg, masterKey, again);
        consoles.set(i, p);
        return p;
    }

    @Override
    public void close() {
        consoles.forEach(ConsoleProcess::close);
        pg.close();
    }
}
