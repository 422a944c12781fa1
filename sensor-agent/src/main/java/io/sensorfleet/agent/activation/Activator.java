package io.sensorfleet.agent.activation;

import io.sensorfleet.agent.AgentException;
import io.sensorfleet.agent.client.AgentTls;
import io.sensorfleet.agent.client.ConsoleCallException;
import io.sensorfleet.agent.client.ConsoleClient;
import io.sensorfleet.agent.client.ConsoleClientFactory;
import io.sensorfleet.agent.client.ConsoleException;
import io.sensorfleet.agent.identity.Identity;
import io.sensorfleet.agent.identity.StateDir;
import io.sensorfleet.protocol.v1.activation.ActivationInstalled;
import io.sensorfleet.protocol.v1.activation.ActivationKeyList;
import io.sensorfleet.protocol.v1.enrollment.AgentAddress;
import io.sensorfleet.lib.activation.ActivationClaims;
import io.sensorfleet.lib.activation.ActivationException;
import io.sensorfleet.lib.activation.ActivationFile;
import io.sensorfleet.lib.activation.ActivationMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code sensor-agent activate <file>}: verify, confirm with the console, install. Every failure
 * has its own message (each refusal case an operator troubleshoots differently) and leaves the previous activation in
 * force: nothing is written until every check has passed.
 */
public final class Activator {
    private static final long MAX_FILE = 64 * 1024;

    private final StateDir stateDir;
    private final ActivationStore store;
    private final AgentTls tls;
    private final ConsoleClientFactory clients;

    public Activator(StateDir stateDir, AgentTls tls, ConsoleClientFactory clients) {
        this.stateDir = stateDir;
        this.store = new ActivationStore(stateDir.path());
        this.tls = tls;
        this.clients = clients;
    }

    public ActivationClaims activate(Path file) throws ActivationException {
        String content = read(file);
        Identity identity = stateDir.requireIdentity();
        try (ConsoleClient client = clients.create(tls.mutual(stateDir.credentials()))) {
            Map<String, java.security.PublicKey> trusted = store.trustedKeys();
            String kid = ActivationFile.claimedKeyId(content);
            if (kid == null || !trusted.containsKey(kid)) {
                // A key this sensor has not seen may be the console's newer one: ask the console, over mTLS.
                refreshKeys(client, identity);
                trusted = store.trustedKeys();
            }
            ActivationClaims claims = ActivationFile.verify(content, trusted, identity.sensorId());
            confirm(client, identity, claims);
            store.install(content);
            if (!claims.sensorName().equals(identity.sensorName())) {
                stateDir.saveIdentity(new Identity(identity.sensorId(), claims.sensorName(), identity.addresses(),
                        identity.heartbeatIntervalSeconds(), identity.certificateNotAfter(),
                        identity.certificateFingerprint(), identity.connectedAt()));
            }
            return claims;
        }
    }

    private void confirm(ConsoleClient client, Identity identity, ActivationClaims claims) throws ActivationException {
        AgentAddress tried = null;
        String lastError = null;
        for (AgentAddress address : identity.agentAddresses()) {
            tried = address;
            try {
                client.activationInstalled(address, new ActivationInstalled(claims.fileId()));
                return;
            } catch (ConsoleException e) {
                if (e.status() < 500) {
                    throw new ActivationException(ActivationException.Reason.REJECTED_BY_CONSOLE,
                            "the activation file is valid but the console rejected it: " + e.getMessage());
                }
                lastError = e.getMessage();
            } catch (ConsoleCallException e) {
                lastError = e.getMessage();
            }
        }
        if (claims.mode() == ActivationMode.CONSOLE_CONNECTED) {
            throw new ActivationException(ActivationException.Reason.CONSOLE_UNREACHABLE, "the file is for "
                    + "CONSOLE_CONNECTED mode but the console cannot be reached (last tried " + tried
                    + " directly, without a proxy): " + lastError);
        }
        // A locally managed sensor works without its console; the heartbeat reports the file later.
    }

    private void refreshKeys(ConsoleClient client, Identity identity) {
        for (AgentAddress address : identity.agentAddresses()) {
            try {
                ActivationKeyList list = client.activationKeys(address);
                Map<String, String> keys = new LinkedHashMap<>();
                list.keys().forEach(k -> keys.put(k.kid(), k.publicKey()));
                store.saveTrustedKeys(keys);
                return;
            } catch (ConsoleCallException e) {
                // try the next address; offline, the keys on disk decide
            }
        }
    }

    private static String read(Path file) throws ActivationException {
        try {
            if (!Files.isRegularFile(file)) {
                throw new AgentException("activation file " + file + " does not exist");
            }
            if (Files.size(file) > MAX_FILE) {
                throw new ActivationException(ActivationException.Reason.NOT_AN_ACTIVATION_FILE,
                        "not a valid activation file: larger than " + MAX_FILE + " bytes");
            }
            return Files.readString(file);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new ActivationException(ActivationException.Reason.NOT_AN_ACTIVATION_FILE,
                    "not a valid activation file: it is not text");
        } catch (IOException e) {
            throw new AgentException("cannot read " + file + ": " + e.getMessage());
        }
    }
}
