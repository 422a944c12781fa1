package io.sensorfleet.console.support;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** A throwaway PostgreSQL and N packaged console instances sharing it and one master key. */
public final class ConsoleCluster implements AutoCloseable {
    private final ThrowawayPostgres pg;
    private final List<ConsoleProcess> consoles = new ArrayList<>();

    private ConsoleCluster(ThrowawayPostgres pg) {
        this.pg = pg;
    }

    public static ConsoleCluster start(int instances) throws Exception {
        return start(instances, Map.of(), List.of("-Xmx512m"));
    }

    /** Instances with extra environment (configuration) and JVM options. */
    public static ConsoleCluster start(int instances, Map<String, String> env, List<String> jvmOptions) throws Exception {
        return start(instances, i -> env, jvmOptions);
    }

    /** Instances with extra environment of their own (e.g. each its own agent-plane port) and JVM options. */
    public static ConsoleCluster start(int instances, java.util.function.IntFunction<Map<String, String>> envOfInstance,
                                       List<String> jvmOptions) throws Exception {
        ConsoleCluster cluster = new ConsoleCluster(ThrowawayPostgres.start());
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String masterKey = Base64.getEncoder().encodeToString(key);
        try {
            for (int i = 0; i < instances; i++) {
                cluster.consoles.add(ConsoleProcess.start(cluster.pg, masterKey, envOfInstance.apply(i), jvmOptions));
            }
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** The database the instances share, for tests that look at or change it directly. */
    public ThrowawayPostgres postgres() {
        return pg;
    }

    public ConsoleProcess console(int i) {
        return consoles.get(i);
    }

    @Override
    public void close() {
        consoles.forEach(ConsoleProcess::close);
        pg.close();
    }
}
