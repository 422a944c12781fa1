package io.sensorfleet.cli;

import picocli.CommandLine;

import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * The sensorfleet command. Exit codes: 0 ok, 1 refused by the console (its problem printed),
 * 2 usage error, 3 console unreachable or TLS failure, 4 not logged in or token expired.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Console terminal = System.console();
        Context ctx = new Context(System.getenv(),
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8),
                Clock.systemUTC(),
                terminal == null ? null : prompt -> terminal.readPassword("%s", prompt));
        System.exit(run(ctx, args));
    }

    /** Runs one command line; returns its exit code. */
    public static int run(Context ctx, String... args) {
        CommandLine cl = commandLine(ctx);
        return cl.execute(args);
    }

    static CommandLine commandLine(Context ctx) {
        CommandLine cl = new CommandLine(SensorfleetCommand.class, new Factory(ctx));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOut(ctx.out());
        cl.setErr(ctx.err());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof CliException c) {
                ctx.err().println("error: " + c.getMessage());
                ctx.err().flush();
                return c.exitCode();
            }
            ctx.err().println("error: " + e);
            ctx.err().flush();
            return CliException.REFUSED;
        });
        return cl;
    }

    /** Builds commands through a constructor taking the Context when they have one. */
    private record Factory(Context ctx) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            try {
                Constructor<K> c = cls.getDeclaredConstructor(Context.class);
                c.setAccessible(true);
                return c.newInstance(ctx);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(cls);
            }
        }
    }

}
