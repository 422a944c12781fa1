package io.sensorfleet.console.sessiontickets;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.handler.ssl.util.SimpleKeyManagerFactory;
import io.sensorfleet.console.support.OpensslPki;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.spi.tls.SslContextFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedKeyManager;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The agent plane's OpenSSL contexts take the server's key from the key manager once, not in every
 * full handshake (netty's caching key manager factory): counted on a key manager that counts, with
 * Vert.x's plain OpenSSL engine as the contrast that asks every time.
 */
class ResumableOpenSslOptionsTest {
    private static final int HANDSHAKES = 5;
    private static PrivateKey key;
    private static X509Certificate certificate;

    @BeforeAll
    static void serverKey() throws Exception {
        OpensslPki pki = OpensslPki.create("kmf-cache");
        String pem = pki.read("ca.key").replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pki.read("ca.crt").getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void theAgentPlaneContextTakesTheServerKeyOnceForManyFullHandshakes() throws Exception {
        AtomicInteger keyReads = new AtomicInteger();
        SslContext server = serverContext(new ResumableOpenSslOptions(ring()), keyReads);
        handshakes(server);
        assertEquals(1, keyReads.get(), "the server key read from the key manager once for " + HANDSHAKES + " full handshakes");
    }

    @Test
    void plainOpenSslReadsTheKeyInEveryFullHandshake() throws Exception {
        AtomicInteger keyReads = new AtomicInteger();
        SslContext server = serverContext(new OpenSSLEngineOptions(), keyReads);
        handshakes(server);
        assertEquals(HANDSHAKES, keyReads.get(), "without the caching factory, once per handshake");
    }

    private static SslContext serverContext(OpenSSLEngineOptions options, AtomicInteger keyReads) throws Exception {
        SslContextFactory factory = options.sslContextFactory()
                .forClient(false)
                .useAlpn(false)
                .clientAuth(ClientAuth.NONE)
                .enabledCipherSuites(Set.of("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"))
                .keyMananagerFactory(new CountingKeyManagerFactory(keyReads));
        return factory.create();
    }

    /** Full handshakes (a new client context each time: nothing to resume) between in-memory engines. */
    private static void handshakes(SslContext server) throws Exception {
        for (int i = 0; i < HANDSHAKES; i++) {
            SslContext client = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                    .trustManager(InsecureTrustManagerFactory.INSTANCE).protocols("TLSv1.3").build();
            SSLEngine c = client.newEngine(ByteBufAllocator.DEFAULT);
            SSLEngine s = server.newEngine(ByteBufAllocator.DEFAULT);
            try {
                handshake(c, s);
                assertEquals("TLSv1.3", s.getSession().getProtocol());
                assertEquals(certificate, c.getSession().getPeerCertificates()[0], "the client got the server's certificate");
            } finally {
                if (s instanceof ReferenceCountedOpenSslEngine r) {
                    r.release();
                }
            }
        }
    }

    private static void handshake(SSLEngine client, SSLEngine server) throws SSLException {
        SSLSession session = client.getSession();
        ByteBuffer toServer = ByteBuffer.allocate(session.getPacketBufferSize() * 4);
        ByteBuffer toClient = ByteBuffer.allocate(session.getPacketBufferSize() * 4);
        ByteBuffer app = ByteBuffer.allocate(session.getApplicationBufferSize() * 4);
        ByteBuffer empty = ByteBuffer.allocate(0);
        client.beginHandshake();
        server.beginHandshake();
        for (int round = 0; round < 50; round++) {
            flight(client, server, toServer, app, empty);
            flight(server, client, toClient, app, empty);
            app.clear();
            if (done(client) && done(server)) {
                return;
            }
        }
        throw new AssertionError("handshake did not complete: client " + client.getHandshakeStatus() + ", server " + server.getHandshakeStatus());
    }

    /** What {@code from} has to send, through {@code net}, taken in by {@code to}. */
    private static void flight(SSLEngine from, SSLEngine to, ByteBuffer net, ByteBuffer app, ByteBuffer empty) throws SSLException {
        from.wrap(empty, net);
        tasks(from);
        net.flip();
        to.unwrap(net, app);
        net.compact();
        tasks(to);
    }

    private static boolean done(SSLEngine e) {
        HandshakeStatus h = e.getHandshakeStatus();
        return h == HandshakeStatus.NOT_HANDSHAKING || h == HandshakeStatus.FINISHED;
    }

    private static void tasks(SSLEngine e) {
        Runnable task;
        while ((task = e.getDelegatedTask()) != null) {
            task.run();
        }
    }

    private static TicketKeyRing ring() {
        return new TicketKeyRing(null, new SessionTicketConfig() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public Duration rotationInterval() {
                return Duration.ofHours(6);
            }

            @Override
            public Duration ticketLifetime() {
                return Duration.ofHours(24);
            }

            @Override
            public Duration pollInterval() {
                return Duration.ofMinutes(1);
            }
        }, Clock.systemUTC(), new SimpleMeterRegistry());
    }

    /** A key manager factory whose key manager counts how often its private key is asked for. */
    private static final class CountingKeyManagerFactory extends SimpleKeyManagerFactory {
        private final KeyManager[] managers;

        CountingKeyManagerFactory(AtomicInteger keyReads) throws Exception {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", key, new char[0], new X509Certificate[]{certificate});
            KeyManagerFactory real = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            real.init(store, new char[0]);
            X509ExtendedKeyManager delegate = (X509ExtendedKeyManager) real.getKeyManagers()[0];
            managers = new KeyManager[]{new X509ExtendedKeyManager() {
                @Override
                public String[] getClientAliases(String keyType, Principal[] issuers) {
                    return delegate.getClientAliases(keyType, issuers);
                }

                @Override
                public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
                    return delegate.chooseClientAlias(keyType, issuers, socket);
                }

                @Override
                public String[] getServerAliases(String keyType, Principal[] issuers) {
                    return delegate.getServerAliases(keyType, issuers);
                }

                @Override
                public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
                    return delegate.chooseServerAlias(keyType, issuers, socket);
                }

                @Override
                public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
                    return delegate.chooseEngineServerAlias(keyType, issuers, engine);
                }

                @Override
                public X509Certificate[] getCertificateChain(String alias) {
                    return delegate.getCertificateChain(alias);
                }

                @Override
                public PrivateKey getPrivateKey(String alias) {
                    keyReads.incrementAndGet();
                    return delegate.getPrivateKey(alias);
                }
            }};
        }

        @Override
        protected void engineInit(KeyStore keyStore, char[] password) {
        }

        @Override
        protected void engineInit(ManagerFactoryParameters params) {
        }

        @Override
        protected KeyManager[] engineGetKeyManagers() {
            return managers;
        }
    }
}
