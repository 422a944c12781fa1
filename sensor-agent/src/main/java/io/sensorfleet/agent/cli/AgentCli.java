package io.sensorfleet.agent.cli;

import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.AgentException;
import io.sensorfleet.agent.InvalidInputException;
import io.sensorfleet.agent.identity.NotConnectedException;
import io.sensorfleet.agent.update.Installer;
import io.sensorfleet.protocol.v1.enrollment.ConnectionStringException;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.lang.reflect.Constructor;

/**
 * Runs one CLI invocation and returns its exit code. Failures print exactly one line,
 * {@code error: <reason>}, on the error stream; never a stack trace.
 */
public final class AgentCli {
    /** Exit codes, stable for scripts. */
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int INVALID_INPUT = 2;
    public static final int NOT_CONNECTED = 3;

    private AgentCli() {
    }

    /**
     * @param defaults configuration the options refine (state dir, clock, version, host name…)
     */
    public static int execute(String[] args, AgentConfig defaults, PrintWriter out, PrintWriter err) {
        return execute(args, defaults, Installer.StageHook.NONE, out, err);
    }

    /**
     * The same with a seam for tests: {@code installStages} is told the stages an update passes in
     * {@code run} (a test entry point uses it to stop the daemon mid-install).
     */
    public static int execute(String[] args, AgentConfig defaults, Installer.StageHook installStages, PrintWriter out,
                              PrintWriter err) {
        return run(new CommandLine(new AgentCommand(), new Factory(defaults, installStages)), args, out, err);
    }

    /**
     * Runs {@code command} (a picocli command object) the same way: for the tools shipped beside the
     * agent (simulator, package builder), so every CLI of the product fails the same way.
     */
    public static int execute(Object command, String[] args, AgentConfig defaults, PrintWriter out, PrintWriter err) {
        return run(new CommandLine(command, new Factory(defaults, Installer.StageHook.NONE)), args, out, err);
    }

    private static int run(CommandLine cli, String[] args, PrintWriter out, PrintWriter err) {
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, ignored) -> {
            err.println("error: " + oneLine(e.getMessage()) + " (see '"
                    + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return INVALID_INPUT;
        });
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            err.println("error: " + oneLine(message(e)));
            err.flush();
            return exitCode(e);
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    private static String message(Exception e) {
        if (e instanceof AgentException || e instanceof ConnectionStringException) {
            return e.getMessage();
        }
        // Not expected: say what it is, still in one line, so a bug report has something to go on.
        return "unexpected " + e;
    }

    private static int exitCode(Exception e) {
        if (e instanceof ConnectionStringException || e instanceof InvalidInputException) {
            return INVALID_INPUT;
        }
        if (e instanceof NotConnectedException) {
            return NOT_CONNECTED;
        }
        return FAILED;
    }

    static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*[\\r\\n]+\\s*", "; ");
    }

    /** Gives commands the defaults through their constructors. */
    private record Factory(AgentConfig defaults, Installer.StageHook installStages) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                Constructor<K> constructor = type.getDeclaredConstructor(AgentConfig.class, Installer.StageHook.class);
                constructor.setAccessible(true);
                return constructor.newInstance(defaults, installStages);
            } catch (NoSuchMethodException e) {
                // most commands take the configuration only
            }
            try {
                Constructor<K> constructor = type.getDeclaredConstructor(AgentConfig.class);
                constructor.setAccessible(true);
                return constructor.newInstance(defaults);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(type);
            }
        }
    }
}
