package io.sensorfleet.console;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.sensorfleet.console.certificates.OperatorCertificateBootstrap;
import io.sensorfleet.console.recovery.RecoveryCommand;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * Entry point of the console. Before Quarkus starts it refuses client-initiated TLS renegotiation
 * for the whole JVM and makes sure the operator plane has a
 * certificate, because the HTTPS key store is checked before any application bean runs. The
 * data directory is read the way the rest of the console reads it: system property, then
 * environment variable, then the default. {@code backup} and {@code restore} run the disaster
 * recovery commands instead of the service.
 */
@QuarkusMain
public final class ConsoleMain {
    static final String DATA_DIR_PROPERTY = "sensorfleet.console.data-dir";
    static final String DATA_DIR_ENV = "SENSORFLEET_CONSOLE_DATA_DIR";
    static final String DEFAULT_DATA_DIR = ".sensorfleet/console";

    private ConsoleMain() {
    }

    public static void main(String... args) {
        if (args.length > 0 && RecoveryCommand.COMMANDS.contains(args[0])) {
            System.exit(RecoveryCommand.main(List.of(args), System.out, System.err));
        }
        // Client-initiated TLS 1.2 renegotiation lets one client make the server redo handshakes at
        // will (a CPU denial of service); the JDK reads this once, before the first TLS connection.
        System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
        String dir = System.getProperty(DATA_DIR_PROPERTY, System.getenv().getOrDefault(DATA_DIR_ENV, DEFAULT_DATA_DIR));
        OperatorCertificateBootstrap.ensure(Path.of(dir).resolve("tls"), Clock.systemUTC());
        Quarkus.run(args);
    }
}
