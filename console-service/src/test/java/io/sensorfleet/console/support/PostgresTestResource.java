package io.sensorfleet.console.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * The database of the {@code @QuarkusTest}s: the one named by QUARKUS_DATASOURCE_JDBC_URL when set,
 * otherwise a throwaway cluster started for this run.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {
    private ThrowawayPostgres pg;

    @Override
    public Map<String, String> start() {
        if (System.getenv("QUARKUS_DATASOURCE_JDBC_URL") != null) {
            return Map.of();
        }
        pg = ThrowawayPostgres.start();
        return Map.of("quarkus.datasource.jdbc.url", pg.jdbcUrl,
                "quarkus.datasource.username", pg.username,
                "quarkus.datasource.password", pg.password);
    }

    @Override
    public void stop() {
        if (pg != null) {
            pg.close();
        }
    }
}
