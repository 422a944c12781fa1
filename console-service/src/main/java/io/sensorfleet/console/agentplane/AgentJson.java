package io.sensorfleet.console.agentplane;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import io.sensorfleet.console.platform.IsoInstants;

import java.io.IOException;
import java.time.Instant;

/**
 * The mapper that reads agent-plane bodies: the application's, with instants in the form agents send
 * read by {@link IsoInstants} (every heartbeat carries one); any other form goes to Jackson's own
 * deserializer, so what is accepted and what is refused stays the same.
 */
final class AgentJson {
    private AgentJson() {
    }

    static ObjectMapper reading(ObjectMapper application) {
        return application.copy().registerModule(new SimpleModule("agent-plane-instants")
                .addDeserializer(Instant.class, new FastInstants()));
    }

    private static final class FastInstants extends StdScalarDeserializer<Instant> {
        FastInstants() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            if (p.hasToken(JsonToken.VALUE_STRING)) {
                Instant fast = IsoInstants.parseOrNull(p.getText());
                if (fast != null) {
                    return fast;
                }
            }
            return InstantDeserializer.INSTANT.deserialize(p, ctx);
        }
    }
}
