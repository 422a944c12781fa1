package io.sensorfleet.console.support;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Map;

/**
 * One packaged console on a throwaway PostgreSQL that can be restarted in place: same database,
 * master key and agent-plane port, so enrolled sensors find it again — what an operator's
 * {@code systemctl restart} does.
 */
public final class RestartableConsole implements AutoCloseable {
    private final ThrowawayPostgres pg;
    private final String masterKey;
    private final Map<String, String> env;
    private ConsoleProcess console;
    private final int agentPort;

    private RestartableConsole(ThrowawayPostgres pg, String masterKey, Map<String, String> env, ConsoleProcess console) {
        this.pg = pg;
        this.masterKey = masterKey;
        this.env = Map.copyOf(env);
        this.console = console;
        this.agentPort = console.agentPort;
    }

    public static RestartableConsole start() throws Exception {
        return start(Map.of());
    }

    /** With extra environment for the console (kept across restarts). */
    public static RestartableConsole start(Map<String, String> env) throws Exception {
        ThrowawayPostgres pg = ThrowawayPostgres.start();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String masterKey = Base64.getEncoder().encodeToString(key);
        try {
            return new RestartableConsole(pg, masterKey, env, ConsoleProcess.start(pg, masterKey, env));
        } catch (Exception | Error e) {
            pg.close();
            throw e;
        }
    }

    public ConsoleProcess console() {
        return console;
    }

    /** The agent-plane port, the same across restarts. */
    public int agentPort() {
        return agentPort;
    }

    /** Stops the console (SIGTERM) and starts it again; returns when it is ready. */
    public void restart() throws Exception {
        console.close();
        Map<String, String> again = new java.util.HashMap<>(env);
        again.put("SENSORFLEET_AGENT_PLANE_PORT", String.valueOf(agentPort));
        console = ConsoleProcess.start(pg, masterKey, again);
    }

    /** A JDBC connection to the console's database, for checks the API does not expose (serials). */
    public Connection database() throws SQLException {
        return DriverManager.getConnection(pg.jdbcUrl, pg.username, pg.password);
    }

    @Override
    public void close() {
        console.close();
        pg.close();
    }
}
