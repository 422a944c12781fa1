package io.sensorfleet.console.forwarding;

import io.sensorfleet.console.certificates.PeerCertificateException;

import java.time.Duration;

/**
 * How one attempt to hand a message to a receiver went.
 *
 * @param delivered  the receiver took it
 * @param outcome    what it answered, or why it could not be reached; one line
 * @param retryAfter the receiver's Retry-After, or null
 */
record DeliveryResult(boolean delivered, String outcome, Duration retryAfter) {

    static DeliveryResult ok(String outcome) {
        return new DeliveryResult(true, outcome, null);
    }

    static DeliveryResult failed(String outcome) {
        return new DeliveryResult(false, outcome, null);
    }

    /** Why an I/O call failed, in words an operator understands; java.net often gives no message at the top. */
    static String describe(Throwable t, String target) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            // Certificate validation's own words ("certificate of host is revoked (CRL url)") say it best.
            if (c instanceof PeerCertificateException) {
                return c.getMessage();
            }
        }
        String reason = null;
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.net.ConnectException) {
                return "connection refused by " + target;
            }
            if (c instanceof java.net.UnknownHostException) {
                return "unknown host in " + target;
            }
            if (c instanceof java.net.http.HttpConnectTimeoutException || c instanceof java.net.SocketTimeoutException
                    || c instanceof java.net.http.HttpTimeoutException) {
                return "timed out talking to " + target;
            }
            if (c instanceof javax.net.ssl.SSLException) {
                return "TLS with " + target + " failed: " + message(c);
            }
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                reason = message(c);
            }
        }
        return "cannot deliver to " + target + ": " + (reason != null ? reason : t.getClass().getSimpleName());
    }

    private static String message(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
