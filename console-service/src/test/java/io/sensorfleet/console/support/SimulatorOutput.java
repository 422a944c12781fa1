package io.sensorfleet.console.support;

import java.io.Writer;
import java.time.Duration;
import java.time.Instant;

/** What a simulator run prints, kept so a test can wait for its events ({@code event all-reported phase=…}). */
public final class SimulatorOutput extends Writer {
    private final StringBuffer text = new StringBuffer();

    @Override
    public void write(char[] buffer, int offset, int length) {
        text.append(buffer, offset, length);
        System.out.print(new String(buffer, offset, length));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    /** Waits until a line starting with {@code prefix} was printed. */
    public boolean await(String prefix, Duration limit) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            if (text.toString().lines().anyMatch(l -> l.startsWith(prefix))) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
