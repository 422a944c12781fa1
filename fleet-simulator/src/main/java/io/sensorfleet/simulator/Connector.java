package io.sensorfleet.simulator;

import io.sensorfleet.protocol.v1.enrollment.AgentAddress;

import javax.net.ssl.SSLContext;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.util.concurrent.Semaphore;

/**
 * Opens the simulated sensors' connections, for every workload alike: from the local addresses
 * given ({@code --bind}, one per sensor round-robin, so the loopback's ephemeral ports go further)
 * and at most {@code --max-connecting} at once (a fleet opening all its connections together has
 * its handshakes cut by the console's timeout and retried, and never gets connected).
 */
final class Connector {
    private final SimulatorOptions options;
    /** Null: no limit. */
    private final Semaphore connecting;

    Connector(SimulatorOptions options) {
        this.options = options;
        this.connecting = options.maxConnecting() > 0 ? new Semaphore(options.maxConnecting()) : null;
    }

    /** The local address sensor {@code index} connects from; null = the system's choice. */
    InetAddress bindFor(int index) {
        return options.bindAddresses().isEmpty() ? null
                : options.bindAddresses().get(Math.floorMod(index, options.bindAddresses().size()));
    }

    /** A new connection with its handshake done, waiting first for a free slot when limited. */
    AgentConnection open(SSLContext ssl, AgentAddress address, InetAddress bind) throws ExchangeException {
        if (connecting != null) {
            try {
                connecting.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ExchangeException.of("connect", new InterruptedIOException("stopped"), true);
            }
        }
        try {
            return AgentConnection.open(ssl, address, bind, (int) options.requestTimeout().toMillis());
        } finally {
            if (connecting != null) {
                connecting.release();
            }
        }
    }
}
