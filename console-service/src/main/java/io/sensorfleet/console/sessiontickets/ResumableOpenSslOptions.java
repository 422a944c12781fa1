package io.sensorfleet.console.sessiontickets;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.netty.handler.ssl.OpenSslServerSessionContext;
import io.netty.handler.ssl.SslContext;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.spi.tls.SslContextFactory;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import java.util.List;
import java.util.Set;

/**
 * Vert.x's OpenSSL engine, with each server context it creates handed to the {@link TicketKeyRing}:
 * Vert.x has no option for session ticket keys, and netty sets them on its {@code SslContext},
 * which only the context factory sees. The same factory has netty keep the server's key material
 * in OpenSSL's form.
 */
public final class ResumableOpenSslOptions extends OpenSSLEngineOptions {
    private final TicketKeyRing ring;

    ResumableOpenSslOptions(TicketKeyRing ring) {
        this.ring = ring;
    }

    private ResumableOpenSslOptions(ResumableOpenSslOptions other) {
        super(other);
        this.ring = other.ring;
    }

    @Override
    public ResumableOpenSslOptions copy() {
        return new ResumableOpenSslOptions(this);
    }

    @Override
    public SslContextFactory sslContextFactory() {
        return new Factory(super.sslContextFactory());
    }

    /** The default factory, and the created server context registered with the ring. */
    private final class Factory implements SslContextFactory {
        private final SslContextFactory delegate;

        Factory(SslContextFactory delegate) {
            this.delegate = delegate;
        }

        @Override
        public SslContext create() throws SSLException {
            SslContext context = delegate.create();
            if (context.isServer() && context.sessionContext() instanceof OpenSslServerSessionContext session) {
                ring.register(session);
            }
            return context;
        }

        @Override
        public SslContextFactory useAlpn(boolean useAlpn) {
            delegate.useAlpn(useAlpn);
            return this;
        }

        @Override
        public SslContextFactory clientAuth(ClientAuth clientAuth) {
            delegate.clientAuth(clientAuth);
            return this;
        }

        @Override
        public SslContextFactory forClient(boolean forClient) {
            delegate.forClient(forClient);
            return this;
        }

        /*
         * The server's key and chain converted to OpenSSL's form once, not in every full handshake:
         * netty caches them only when told the key manager's answers do not change, and a context's
         * never do here (a new certificate comes with a new context). Without it each handshake
         * re-encoded and re-parsed both, ~2 % of the console's CPU in an enrollment burst.
         */
        @Override
        public SslContextFactory keyMananagerFactory(KeyManagerFactory kmf) {
            delegate.keyMananagerFactory(kmf == null || kmf instanceof OpenSslCachingX509KeyManagerFactory ? kmf
                    : new OpenSslCachingX509KeyManagerFactory(kmf));
            return this;
        }

        @Override
        public SslContextFactory trustManagerFactory(TrustManagerFactory tmf) {
            delegate.trustManagerFactory(tmf);
            return this;
        }

        @Override
        public SslContextFactory enabledCipherSuites(Set<String> cipherSuites) {
            delegate.enabledCipherSuites(cipherSuites);
            return this;
        }

        @Override
        public SslContextFactory applicationProtocols(List<String> protocols) {
            delegate.applicationProtocols(protocols);
            return this;
        }

        @Override
        public SslContextFactory serverName(String serverName) {
            delegate.serverName(serverName);
            return this;
        }
    }
}
