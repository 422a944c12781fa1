package io.sensorfleet.agent.client;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

/**
 * Keeps the TLS sessions in a context's client cache reachable, so the next connection resumes
 * instead of paying a full mutual-TLS handshake. The JDK holds its cached sessions only through
 * soft references, and a garbage collection clears one that was not looked up for as many seconds
 * as the heap has free megabytes ({@code -XX:SoftRefLRUPolicyMSPerMB}, default 1000): a sensor
 * idling on a kept-alive connection with a small heap lost its session at its next full
 * collection, and after a console restart reconnected with a full handshake (in a 50,000-sensor
 * reconnect storm, about a quarter of the sensors did). A session held here cannot be cleared; the
 * JDK still removes it from the cache when it is used (a TLS 1.3 ticket resumes once) or expires,
 * and the next {@link #keepCurrent()} lets it go.
 */
public final class TlsSessionKeeper {
    private final SSLSessionContext sessions;
    private volatile List<SSLSession> kept = List.of();

    public TlsSessionKeeper(SSLContext context) {
        this.sessions = context.getClientSessionContext();
    }

    /** Holds the sessions the cache has now and lets go of the others; after each answered request. */
    public void keepCurrent() {
        List<SSLSession> now = new ArrayList<>(2);
        for (Enumeration<byte[]> ids = sessions.getIds(); ids.hasMoreElements(); ) {
            SSLSession s = sessions.getSession(ids.nextElement());
            if (s != null && s.isValid()) {
                now.add(s);
            }
        }
        kept = List.copyOf(now);
    }

    /** How many sessions are held. */
    public int kept() {
        return kept.size();
    }
}
