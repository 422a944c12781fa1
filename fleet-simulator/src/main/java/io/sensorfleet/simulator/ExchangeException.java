package io.sensorfleet.simulator;

import javax.net.ssl.SSLException;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;

/**
 * A request that got no answer, with the kind of failure the benchmark reports counts by:
 * {@code connect-refused}, {@code connect-timeout}, {@code tls-handshake}, {@code timeout},
 * {@code connection-closed}, {@code io}.
 */
final class ExchangeException extends IOException {
    private final String kind;
    private final boolean beforeResponse;

    ExchangeException(String kind, String message, Throwable cause, boolean beforeResponse) {
        super(message, cause);
        this.kind = kind;
        this.beforeResponse = beforeResponse;
    }

    static ExchangeException of(String stage, IOException e, boolean beforeResponse) {
        StringBuilder message = new StringBuilder(stage).append(": ").append(e);
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            message.append(" <- ").append(c);
        }
        return new ExchangeException(kind(stage, e), message.toString(), e, beforeResponse);
    }

    String kind() {
        return kind;
    }

    /** No byte of an answer arrived: on a kept-alive connection this means the console had closed it. */
    boolean beforeResponse() {
        return beforeResponse;
    }

    private static String kind(String stage, IOException e) {
        if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
            return "connect-refused";
        }
        if (e instanceof SocketTimeoutException) {
            return stage.equals("connect") ? "connect-timeout" : "timeout";
        }
        if (stage.equals("handshake")) {
            // A handshake cut short by an overloaded or stopping console is a closed connection, not a trust problem.
            return e instanceof EOFException || isReset(e) || e.getCause() instanceof EOFException
                    ? "connection-closed" : e instanceof SSLException ? "tls-handshake" : "io";
        }
        if (e instanceof EOFException || isReset(e)) {
            return "connection-closed";
        }
        return e instanceof SSLException ? "tls" : "io";
    }

    private static boolean isReset(IOException e) {
        String m = e.getMessage();
        return e instanceof SocketException && m != null
                && (m.contains("reset") || m.contains("Broken pipe") || m.contains("closed"));
    }
}
