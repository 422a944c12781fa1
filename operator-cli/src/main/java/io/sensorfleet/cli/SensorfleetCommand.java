package io.sensorfleet.cli;

import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

@Command(name = "sensorfleet", mixinStandardHelpOptions = true, versionProvider = SensorfleetCommand.Version.class,
        description = "Operate a SensorFleet console from a shell, over its public REST API (/api/v1).",
        subcommands = {LoginCommand.class, LogoutCommand.class, SensorsCommand.class, ConnectionStringsCommand.class,
                SettingsCommand.class, BackupsCommand.class, RolloutsCommand.class, NotificationsCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:refused by the console (its problem is printed)", "2:usage error",
                "3:console unreachable, or TLS failure", "4:not logged in, or token expired"})
public final class SensorfleetCommand {

    static final class Version implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = SensorfleetCommand.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[]{"sensorfleet " + p.getProperty("version", "unknown")};
        }
    }
}
