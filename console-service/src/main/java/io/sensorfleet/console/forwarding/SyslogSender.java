package io.sensorfleet.console.forwarding;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sends syslog messages. UDP: one datagram each, no acknowledgement. TCP and TLS: one kept-open
 * connection per action, messages written one after the other with octet-counted framing; a
 * connection the receiver closed is noticed before writing and opened again, so a receiver restart
 * does not swallow the next message. Connections idle for five minutes are closed.
 */
@ApplicationScoped
class SyslogSender {
    private static final java.time.Duration IDLE = java.time.Duration.ofMinutes(5);

    private final Map<UUID, Channel> channels = new ConcurrentHashMap<>();
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "syslog-write-watchdog");
        t.setDaemon(true);
        return t;
    });
    private volatile DatagramSocket udp;

    @Inject
    ForwardingConfig config;
    @Inject
    ForwardingTls tls;

    SyslogSender() {
        watchdog.scheduleWithFixedDelay(this::closeIdle, 1, 1, TimeUnit.MINUTES);
    }

    /** Sends over the action's kept connection (TCP, TLS), opening it when needed. */
    DeliveryResult send(UUID actionId, ActionSettings s, String message) {
        byte[] frame = SyslogMessage.frame(message, s.transport());
        if (s.transport() == SyslogTransport.UDP) {
            return datagram(s, frame);
        }
        boolean validating = s.transport() == SyslogTransport.TLS && tls.validating();
        Channel[] replaced = new Channel[1];
        Channel channel = channels.compute(actionId, (id, old) -> {
            // A connection opened without validation is not kept once validation is turned on (and back).
            if (old != null && old.settings.equals(s) && old.validating == validating) {
                return old;
            }
            replaced[0] = old;
            return new Channel(s, validating);
        });
        if (replaced[0] != null) {
            replaced[0].close();
        }
        return channel.send(frame);
    }

    /** Sends over a connection of its own, closed afterwards: test messages must not disturb kept connections. */
    DeliveryResult sendOnce(ActionSettings s, String message) {
        byte[] frame = SyslogMessage.frame(message, s.transport());
        if (s.transport() == SyslogTransport.UDP) {
            return datagram(s, frame);
        }
        Channel channel = new Channel(s, s.transport() == SyslogTransport.TLS && tls.validating());
        try {
            return channel.send(frame);
        } finally {
            channel.close();
        }
    }

    /** Connections of actions that sent nothing for a while (or were deleted) are closed. */
    private void closeIdle() {
        long cutoff = System.nanoTime() - IDLE.toNanos();
        channels.entrySet().removeIf(e -> {
            if (e.getValue().lastUsed < cutoff) {
                e.getValue().close();
                return true;
            }
            return false;
        });
    }

    void onStop(@Observes ShutdownEvent ev) {
        channels.values().forEach(Channel::close);
        watchdog.shutdownNow();
        if (udp != null) {
            udp.close();
        }
    }

    private DeliveryResult datagram(ActionSettings s, byte[] frame) {
        String target = target(s);
        try {
            udpSocket().send(new DatagramPacket(frame, frame.length, InetAddress.getByName(s.host()), s.port()));
            return DeliveryResult.ok("sent " + frame.length + " bytes to " + target + " (UDP carries no acknowledgement)");
        } catch (IOException e) {
            return DeliveryResult.failed(DeliveryResult.describe(e, target));
        }
    }

    private DatagramSocket udpSocket() throws SocketException {
        DatagramSocket s = udp;
        if (s == null) {
            synchronized (this) {
                if (udp == null) {
                    udp = new DatagramSocket();
                }
                s = udp;
            }
        }
        return s;
    }

    private static String target(ActionSettings s) {
        return s.transport().name().toLowerCase() + "://" + s.host() + ":" + s.port();
    }

    /** One stream connection to a receiver; sends are serialised on it. */
    private final class Channel {
        final ActionSettings settings;
        final boolean validating;
        private final ReentrantLock lock = new ReentrantLock();
        private Socket socket;
        private OutputStream out;
        private volatile long lastUsed = System.nanoTime();

        Channel(ActionSettings settings, boolean validating) {
            this.settings = settings;
            this.validating = validating;
        }

        DeliveryResult send(byte[] frame) {
            String target = target(settings);
            lock.lock();
            lastUsed = System.nanoTime();
            try {
                for (int attempt = 0; ; attempt++) {
                    boolean fresh = false;
                    try {
                        if (socket == null || !alive()) {
                            closeSocket();
                            open();
                            fresh = true;
                        }
                        write(frame);
                        return DeliveryResult.ok("written to " + target + " (" + frame.length + " bytes; syslog over "
                                + settings.transport() + " has no application-level acknowledgement)");
                    } catch (IOException e) {
                        closeSocket();
                        // A kept connection may have died unnoticed: one more try on a new one.
                        if (fresh || attempt > 0) {
                            return DeliveryResult.failed(DeliveryResult.describe(e, target));
                        }
                    }
                }
            } finally {
                lock.unlock();
            }
        }

        void close() {
            lock.lock();
            try {
                closeSocket();
            } finally {
                lock.unlock();
            }
        }

        private void open() throws IOException {
            int timeout = (int) config.connectTimeout().toMillis();
            Socket raw = new Socket();
            try {
                raw.connect(new InetSocketAddress(settings.host(), settings.port()), timeout);
                raw.setTcpNoDelay(true);
                raw.setKeepAlive(true);
                Socket s = raw;
                if (settings.transport() == SyslogTransport.TLS) {
                    SSLSocket ssl = (SSLSocket) tls.context(settings.caCertificatePem(), validating).getSocketFactory()
                            .createSocket(raw, settings.host(), settings.port(), true);
                    ssl.setSSLParameters(ForwardingTls.parameters());
                    ssl.setSoTimeout(timeout);
                    ssl.startHandshake();
                    s = ssl;
                }
                socket = s;
                out = s.getOutputStream();
            } catch (IOException | RuntimeException e) {
                raw.close();
                throw e;
            }
        }

        /** A receiver that closed its end shows as end-of-stream on a read that would otherwise time out at once. */
        private boolean alive() {
            try {
                socket.setSoTimeout(1);
                return socket.getInputStream().read() != -1;
            } catch (SocketTimeoutException e) {
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        /** Java has no write timeout: a receiver that stops reading would block us forever, so a watchdog closes the socket. */
        private void write(byte[] frame) throws IOException {
            Socket s = socket;
            ScheduledFuture<?> guard = watchdog.schedule(() -> quietly(s), config.requestTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
            try {
                out.write(frame);
                out.flush();
            } finally {
                guard.cancel(false);
            }
        }

        private void closeSocket() {
            if (socket != null) {
                quietly(socket);
            }
            socket = null;
            out = null;
        }
    }

    private static void quietly(Socket s) {
        try {
            Objects.requireNonNull(s).close();
        } catch (IOException e) {
            // closing only
        }
    }
}
