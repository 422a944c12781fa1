package io.sensorfleet.console.agentplane;

import io.sensorfleet.console.platform.KeyPairs;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sensorfleet.console.certificates.HeldCertificates;
import io.sensorfleet.console.certificates.InternalCa;
import io.sensorfleet.console.certificates.Pem;
import io.sensorfleet.console.sessiontickets.TicketKeyRing;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SSLEngineOptions;
import io.vertx.core.net.TrustOptions;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The agent plane: its own HTTPS listener (default 9443) beside the operator plane. The TLS layer
 * asks every client for a certificate and accepts only ones issued by the internal CA; endpoints
 * other than enrollment and the CRL refuse requests without one. Each instance gets a server
 * certificate from the shared CA at start, so agents trust every instance through the one CA.
 * <p>
 * The port is served by one listener per event loop ({@code sensorfleet.agent-plane.event-loops},
 * default one per processor): a single Vert.x server created outside a verticle handles every
 * connection on one event loop, which capped handshakes and heartbeats at one core (seen in the
 * benchmark profiles, docs/benchmarks.md).
 * <p>
 * With OpenSSL, TLS session tickets are encrypted with keys shared by every instance through the
 * database ({@link TicketKeyRing}), so a sensor reconnecting after a restart, or to another
 * instance, resumes its session instead of a full handshake. A resumed session carries the client
 * certificate of the full handshake that started it; revocation is still checked on every request.
 * With the JDK engine each listener keeps its own ticket keys in memory: resumption works only on
 * the listener that issued the ticket, and not across a restart or instances.
 */
@ApplicationScoped
public class AgentPlaneServer {
    private static final Logger LOG = Logger.getLogger(AgentPlaneServer.class);
    /** TLS 1.3 suites, then TLS 1.2 ECDHE with AEAD only: forward secrecy, no CBC, no RSA key exchange. */
    static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
    private static final Duration SERVER_CERT_LIFETIME = Duration.ofDays(365);
    /**
     * For port 0 (tests): a negative port makes Vert.x bind one random port and share it among the
     * listeners that use the same negative number (0 would give each its own). Not -1: the operator
     * plane's servers share their random port under that one.
     */
    private static final int SHARED_RANDOM_PORT = -9443;
    /** Before every shutdown observer of the default priority ({@code Interceptor.Priority.APPLICATION + 500}). */
    static final int STOP_PRIORITY = Interceptor.Priority.PLATFORM_BEFORE;

    private final Vertx vertx;
    private final InternalCa ca;
    private final AgentPlaneConfig config;
    private final AgentPlaneAddresses addresses;
    private final AgentRouter routes;
    private final Clock clock;
    private final HeldCertificates held;
    private final TicketKeyRing tickets;

    AgentPlaneServer(Vertx vertx, InternalCa ca, AgentPlaneConfig config, AgentPlaneAddresses addresses,
                     AgentRouter routes, Clock clock, HeldCertificates held, TicketKeyRing tickets) {
        this.vertx = vertx;
        this.ca = ca;
        this.config = config;
        this.addresses = addresses;
        this.routes = routes;
        this.clock = clock;
        this.held = held;
        this.tickets = tickets;
    }

    private volatile String deployment;
    private volatile int actualPort;

    void start(@Observes StartupEvent ev) {
        KeyPair kp = KeyPairs.newEcP256();
        InternalCa.Issued cert = ca.issueServerCertificate(addresses.certificateNames(), kp.getPublic(), SERVER_CERT_LIFETIME);
        held.agentPlaneServer(cert.certificate());
        int port = config.port() == 0 ? SHARED_RANDOM_PORT : config.port();
        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.host())
                .setPort(port)
                .setSsl(true)
                .setUseAlpn(false)
                .setClientAuth(ClientAuth.REQUEST)
                .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"))
                .setKeyCertOptions(new PemKeyCertOptions()
                        .setCertValue(Buffer.buffer(cert.pem() + ca.certificatePem()))
                        .setKeyValue(Buffer.buffer(Pem.pkcs8(kp.getPrivate()))))
                .setTrustOptions(TrustOptions.wrap(ClientCertificateTrust.forCa(ca.certificate(), clock)))
                .setIdleTimeout(120)
                .setSslHandshakeTimeout(handshakeTimeoutMillis())
                .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
                .setCompressionSupported(false);
        CIPHER_SUITES.forEach(options::addEnabledCipherSuite);
        options.setSslEngineOptions(engine());
        int loops = config.eventLoops().orElse(Runtime.getRuntime().availableProcessors());
        if (loops < 1) {
            throw new IllegalArgumentException("sensorfleet.agent-plane.event-loops must be at least 1");
        }
        deployment = vertx.deployVerticle(() -> new Listener(options), new DeploymentOptions().setInstances(loops))
                .toCompletionStage().toCompletableFuture().join();
        addresses.bound(actualPort);
        LOG.infof("Agent plane listening on https://%s:%d (mutual TLS by %s, %d event loops); agents are told %s",
                config.host(), actualPort, options.getSslEngineOptions() instanceof OpenSSLEngineOptions ? "OpenSSL" : "the JDK",
                loops, addresses.advertised());
    }

    private long handshakeTimeoutMillis() {
        long millis = config.handshakeTimeout().toMillis();
        if (millis < 1000) {
            throw new IllegalArgumentException("sensorfleet.agent-plane.handshake-timeout must be at least 1s");
        }
        return millis;
    }

    private SSLEngineOptions engine() {
        return switch (config.tlsEngine()) {
            case JDK -> new JdkSSLEngineOptions();
            case OPENSSL -> {
                if (!OpenSSLEngineOptions.isAvailable()) {
                    throw new IllegalStateException("sensorfleet.agent-plane.tls-engine=openssl, but netty-tcnative "
                            + "(io.netty:netty-tcnative-boringssl-static) is not on the class path");
                }
                yield tickets.engineOptions();
            }
            case AUTO -> OpenSSLEngineOptions.isAvailable() ? tickets.engineOptions() : new JdkSSLEngineOptions();
        };
    }

    /**
     * Closes the agent plane first when the console stops, before any other shutdown observer (they
     * have the default priority): the buffers flushed on shutdown (heartbeats, settings
     * acknowledgements) then hold everything that was answered, and a sensor is not answered by a
     * console that is on its way out (it reconnects to a running instance, or to this one restarted).
     */
    void stop(@Observes @Priority(STOP_PRIORITY) ShutdownEvent ev) {
        String d = deployment;
        if (d != null) {
            vertx.undeploy(d).toCompletionStage().toCompletableFuture().join();
            deployment = null;
            LOG.info("Agent plane closed");
        }
    }

    /** One listener on its own event loop; all of them share the port. */
    private final class Listener extends AbstractVerticle {
        private final HttpServerOptions options;

        Listener(HttpServerOptions options) {
            this.options = options;
        }

        @Override
        public void start(Promise<Void> started) {
            vertx.createHttpServer(options).requestHandler(routes.router(vertx)).listen()
                    .onSuccess(server -> {
                        actualPort = server.actualPort();
                        started.complete();
                    })
                    .onFailure(started::fail);
        }
    }

    /** The port actually bound (differs from the configured one when that is 0). */
    public int port() {
        return actualPort;
    }
}
