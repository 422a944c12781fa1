package io.sensorfleet.console.support;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fails a test during which the console logged an error: a request the console could not answer
 * properly (a 5xx, or "Response has already been written" when a refusal path answers a request
 * that was already answered) is a defect even when the client saw the status it expected. Register
 * with {@code @ExtendWith(ServerErrorLog.class)} on tests whose every error is a 4xx by design.
 */
public final class ServerErrorLog extends Handler implements BeforeEachCallback, AfterEachCallback {
    private final List<LogRecord> errors = new CopyOnWriteArrayList<>();

    @Override
    public void beforeEach(ExtensionContext context) {
        errors.clear();
        Logger.getLogger("").addHandler(this);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Logger.getLogger("").removeHandler(this);
        if (!errors.isEmpty()) {
            fail("the console logged " + errors.size() + " error(s) during the test: " + describe());
        }
    }

    /** What was caught so far, one line per record (the logger, the message and the exception's message). */
    public String describe() {
        return errors.stream().map(r -> r.getLoggerName() + ": " + r.getMessage()
                        + (r.getThrown() == null ? "" : " (" + r.getThrown() + ")"))
                .collect(Collectors.joining("; "));
    }

    public int count() {
        return errors.size();
    }

    @Override
    public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
            errors.add(record);
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
