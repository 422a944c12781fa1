package io.sensorfleet.agent.heartbeat;

import io.sensorfleet.agent.client.ConsoleClient;
import io.sensorfleet.agent.identity.Credentials;
import io.sensorfleet.agent.identity.Identity;

/** The identity the loop reports as, with the client bound to its TLS credentials. */
record Session(Identity identity, Credentials credentials, ConsoleClient client) implements AutoCloseable {

    Session withIdentity(Identity changed) {
        return new Session(changed, credentials, client);
    }

    @Override
    public void close() {
        client.close();
    }
}
