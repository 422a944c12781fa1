package io.sensorfleet.lib.json;

import java.io.IOException;

/**
 * Input that is not the JSON expected: malformed, too large or deep, or of the wrong shape for the
 * type asked for. An {@link IOException} so that readers that already treat unreadable input as an
 * I/O failure keep doing so.
 */
public final class JsonException extends IOException {
    private final String reason;

    JsonException(String reason) {
        super(reason);
        this.reason = reason;
    }

    JsonException(String reason, Throwable cause) {
        super(reason, cause);
        this.reason = reason;
    }

    /** What is wrong, without a cause chain: fit for a log line or a problem detail. */
    public String getOriginalMessage() {
        return reason;
    }
}
