package io.sensorfleet.cli;

/**
 * A failure the CLI reports as one line on stderr and a documented exit code; never a stack trace.
 */
public final class CliException extends RuntimeException {
    /** The console refused the call (its problem's title and detail are the message). */
    public static final int REFUSED = 1;
    /** The command line is wrong: unknown option, malformed value, missing argument. */
    public static final int USAGE = 2;
    /** The console cannot be reached, or its certificate is not trusted. */
    public static final int UNREACHABLE = 3;
    /** No login, or the token expired or was withdrawn. */
    public static final int NOT_LOGGED_IN = 4;

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    public static CliException usage(String message) {
        return new CliException(USAGE, message);
    }

    public static CliException notLoggedIn(String message) {
        return new CliException(NOT_LOGGED_IN, message);
    }

    public static CliException unreachable(String message) {
        return new CliException(UNREACHABLE, message);
    }
}
