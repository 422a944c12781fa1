package io.sensorfleet.console.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP proxy in front of the console for fault injection. It forwards bytes as they are
 * (TLS passes through untouched), counts what clients send, and once armed cuts the connection
 * that has carried more than a given number of client bytes — once — the way a network failure
 * would in the middle of an upload.
 */
public final class CuttingProxy implements AutoCloseable {
    private final ServerSocket server;
    private volatile int targetPort;
    private final AtomicLong clientBytes = new AtomicLong();
    private final AtomicLong cutAfter = new AtomicLong(Long.MAX_VALUE);
    private final AtomicBoolean cut = new AtomicBoolean();
    private volatile boolean open = true;

    public CuttingProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("cutting-proxy").start(this::accept);
    }

    /** New connections go to {@code port} from now on (a balancer sending the next connection to another instance). */
    public void forwardTo(int port) {
        targetPort = port;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Cuts the first connection whose client has sent more than {@code bytes} bytes. */
    public void cutOnceAfter(long bytes) {
        cutAfter.set(bytes);
    }

    public boolean hasCut() {
        return cut.get();
    }

    /** Bytes clients sent through the proxy so far, over all connections. */
    public long clientBytes() {
        return clientBytes.get();
    }

    private void accept() {
        while (open) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                Thread.ofVirtual().start(() -> pump(client, upstream, true));
                Thread.ofVirtual().start(() -> pump(upstream, client, false));
            } catch (IOException e) {
                if (open) {
                    System.err.println("proxy: " + e);
                }
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromClient) {
        byte[] buf = new byte[64 * 1024];
        long sent = 0;
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                if (fromClient && sent + n > cutAfter.get() && cut.compareAndSet(false, true)) {
                    from.close();
                    to.close();
                    return;
                }
                out.write(buf, 0, n);
                if (fromClient) {
                    sent += n;
                    clientBytes.addAndGet(n);
                }
            }
        } catch (IOException e) {
            // one side closed: close the other below
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        open = false;
        server.close();
    }
}
