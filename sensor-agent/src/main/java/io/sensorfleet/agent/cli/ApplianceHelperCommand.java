package io.sensorfleet.agent.cli;

import io.sensorfleet.agent.appliance.ApplianceHelper;
import io.sensorfleet.agent.appliance.LinuxAppliance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.util.concurrent.Callable;

/**
 * The privileged helper, started as root by systemd once per connection on its socket (stdin and
 * stdout are the connection). Hidden: nobody runs it by hand.
 */
@Command(name = "appliance-helper", hidden = true,
        description = "Serves one request of the unprivileged agent on stdin/stdout (started by systemd).")
final class ApplianceHelperCommand implements Callable<Integer> {

    @Mixin
    ApplianceOptions appliance;

    @Override
    public Integer call() throws Exception {
        new ApplianceHelper((LinuxAppliance) appliance.linux())
                .serve(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out));
        return AgentCli.OK;
    }
}
