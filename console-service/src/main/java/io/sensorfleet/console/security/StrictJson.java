package io.sensorfleet.console.security;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import jakarta.inject.Inject;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;

import java.io.IOException;

/**
 * Every JSON body of the operator plane's REST API: a key given twice is malformed (which one wins
 * would depend on the reader), and every string obeys {@link TextRules} — the stricter rule for
 * name fields. A violation is a 400 problem. The agent plane reads its protocol with the plain
 * mapper and keeps its own rules (it neutralises what agents send rather than refusing it).
 */
@Provider
public class StrictJson implements ContextResolver<ObjectMapper> {
    private final ObjectMapper strict;

    @Inject
    public StrictJson(ObjectMapper base) {
        strict = base.copy();
        strict.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        strict.registerModule(new SimpleModule("sensorfleet-text-rules").addDeserializer(String.class, new CheckedStrings()));
    }

    @Override
    public ObjectMapper getContext(Class<?> type) {
        return strict;
    }

    static final class CheckedStrings extends StdScalarDeserializer<String> {
        CheckedStrings() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String value = StringDeserializer.instance.deserialize(p, ctxt);
            String field = p.currentToken() == JsonToken.FIELD_NAME ? null : p.getParsingContext().getCurrentName();
            String problem = TextRules.isNameField(field) ? TextRules.checkName(value) : TextRules.checkText(value);
            if (problem != null) {
                throw InvalidFormatException.from(p, (field == null ? "a text value" : field) + ": " + problem, value,
                        String.class);
            }
            return value;
        }
    }
}
