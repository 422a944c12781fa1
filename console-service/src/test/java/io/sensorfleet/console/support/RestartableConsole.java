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
    private ConsoleProcess console;
    private final int agentPort;

    private RestartableConsole(ThrowawayPostgres pg, String masterKey, ConsoleProcess console) {
        this.pg = pg;
        this.masterKey = masterKey;
        this.console = console;
        this.agentPort = console.agentPort;
    }

    public static RestartableConsole start() throws Exception {
        ThrowawayPostgres pg = ThrowawayPostgres.start();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String masterKey = Base64.getEncoder().encodeToString(key);
        try {
            return new RestartableConsole(pg, masterKey, ConsoleProcess.start(pg, masterKey, Map.of()));
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
        console = ConsoleProcess.start(pg, masterKey, Map.of("SENSORFLEET_AGENT_PLANE_PORT", String.valueOf(agentPort)));
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
