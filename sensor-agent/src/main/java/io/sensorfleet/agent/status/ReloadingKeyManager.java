package io.sensorfleet.agent.status;

import io.sensorfleet.agent.AgentLog;
import io.sensorfleet.agent.identity.HttpsCertificate;
import io.sensorfleet.agent.identity.StateDir;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Presents the state dir's HTTPS certificate and picks up a new one without a restart: each
 * handshake compares the certificate file's stamp (inode, time, size) with the loaded one and
 * reloads when it changed, so the connection after a {@code certificate import} presents the new
 * certificate. The alias names the loaded generation, so one handshake never mixes the key of one
 * certificate with the chain of another.
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {
    private record Loaded(String alias, Object stamp, HttpsCertificate certificate) {
    }

    private final StateDir stateDir;
    private final AgentLog log;
    private final AtomicLong generations = new AtomicLong();
    private final Map<String, Loaded> recent = new ConcurrentHashMap<>();
    private volatile Loaded current;

    ReloadingKeyManager(StateDir stateDir, HttpsCertificate initial, AgentLog log) {
        this.stateDir = stateDir;
        this.log = log;
        install(stateDir.httpsCertificateStamp(), initial);
    }

    private Loaded refresh() {
        Loaded now = current;
        Object stamp = stateDir.httpsCertificateStamp();
        if (stamp.equals(now.stamp())) {
            return now;
        }
        synchronized (this) {
            if (!stamp.equals(current.stamp())) {
                try {
                    stateDir.httpsCertificate().ifPresent(c -> {
                        install(stamp, c);
                        log.info("status endpoint: presenting " + c.certificate().getSubjectX500Principal().getName()
                                + " to new connections");
                    });
                } catch (RuntimeException e) {
                    // Keep presenting the previous certificate rather than none.
                    log.warn("status endpoint: cannot load the new HTTPS certificate: " + e.getMessage());
                }
            }
            return current;
        }
    }

    private void install(Object stamp, HttpsCertificate c) {
        Loaded loaded = new Loaded("https-" + generations.incrementAndGet(), stamp, c);
        Loaded previous = current;
        recent.clear();
        if (previous != null) {
            recent.put(previous.alias(), previous);
        }
        recent.put(loaded.alias(), loaded);
        current = loaded;
    }

    private String alias(String keyType) {
        Loaded l = refresh();
        return l.certificate().key().getAlgorithm().equals(keyType) ? l.alias() : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return alias(keyType);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return alias(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String alias = alias(keyType);
        return alias == null ? null : new String[]{alias};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Loaded l = recent.get(alias);
        return l == null ? null : l.certificate().chain().toArray(new X509Certificate[0]);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Loaded l = recent.get(alias);
        return l == null ? null : l.certificate().key();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
