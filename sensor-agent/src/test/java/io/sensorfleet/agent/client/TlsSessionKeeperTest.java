package io.sensorfleet.agent.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A JVM that clears every soft reference at each collection ({@code -XX:SoftRefLRUPolicyMSPerMB=0},
 * what a small heap does to a session idle for a minute) connects twice to a TLS 1.3 server with a
 * full collection between; a resumed session is the first handshake's, with its creation time.
 */
class TlsSessionKeeperTest {
    private static final String PASSWORD = "changeit";

    @TempDir
    Path dir;

    @Test
    void aKeptSessionSurvivesACollectionAndTheNextConnectionResumes() throws Exception {
        String out = probe("keep");
        assertTrue(out.contains("resumed=true "), out);
    }

    @Test
    void withoutTheKeeperTheCollectionClearsTheSessionAndTheNextConnectionIsAFullHandshake() throws Exception {
        String out = probe("plain");
        assertTrue(out.contains("resumed=false "), out);
    }

    private String probe(String mode) throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1", "-alias", "server", "-dname", "CN=127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD).redirectErrorStream(true).start();
        String keytoolOut = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, keytool.waitFor(), keytoolOut);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:SoftRefLRUPolicyMSPerMB=0", "-cp", System.getProperty("java.class.path"),
                TlsSessionKeeperTest.class.getName(), keystore.toString(), mode));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** The child JVM: args keystore, "keep" or "plain". */
    public static void main(String[] args) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            store.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
        kmf.init(store, PASSWORD.toCharArray());
        SSLContext server = SSLContext.getInstance("TLSv1.3");
        server.init(kmf.getKeyManagers(), null, null);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(store);
        SSLContext client = SSLContext.getInstance("TLSv1.3");
        client.init(null, tmf.getTrustManagers(), null);
        TlsSessionKeeper keeper = new TlsSessionKeeper(client);

        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 10, loopback)) {
            Thread.ofPlatform().daemon().start(() -> serve(listener));
            long first = exchange(client, loopback, listener.getLocalPort());
            Thread.sleep(50);
            if (args[1].equals("keep")) {
                keeper.keepCurrent();
            }
            System.gc();
            Thread.sleep(20);
            System.gc();
            long second = exchange(client, loopback, listener.getLocalPort());
            // A resumed session is the one the first handshake made: same creation time (50 ms apart otherwise).
            System.out.println("resumed=" + (second == first) + " kept=" + keeper.kept());
        }
    }

    /** One byte from the server after the handshake: reading it takes in the session tickets sent before it. */
    private static long exchange(SSLContext client, InetAddress host, int port) throws IOException {
        try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket(host.getHostAddress(), port)) {
            s.startHandshake();
            if (s.getInputStream().read() != 42) {
                throw new IOException("no answer from the server");
            }
            return s.getSession().getCreationTime();
        }
    }

    private static void serve(SSLServerSocket listener) {
        while (!listener.isClosed()) {
            try (Socket s = listener.accept()) {
                ((SSLSocket) s).startHandshake();
                s.getOutputStream().write(42);
                s.getOutputStream().flush();
                s.getInputStream().read();
            } catch (IOException e) {
                // the listener closed, or the client went away: the next connection is served
            }
        }
    }
}
