package io.sensorfleet.agent.client;

import javax.net.ssl.SSLContext;
import java.time.Duration;

/** Makes a {@link ConsoleClient} for a TLS identity; a simulator can plug in clients sharing resources. */
@FunctionalInterface
public interface ConsoleClientFactory {

    ConsoleClient create(SSLContext sslContext);

    static ConsoleClientFactory standard(Duration requestTimeout) {
        return sslContext -> ConsoleClient.create(sslContext, requestTimeout);
    }
}
