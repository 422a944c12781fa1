package io.sensorfleet.console.web;

import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.security.TextRules;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Parsing of form fields, each failure a 400 that names the field. */
public final class Forms {
    private Forms() {
    }

    /** A UUID, or null when the field is empty. */
    public static UUID uuid(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(value.strip());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(field + ": not an id");
        }
    }

    public static UUID requiredUuid(String field, String value) {
        UUID id = uuid(field, value);
        if (id == null) {
            throw ProblemException.badRequest(field + ": choose one");
        }
        return id;
    }

    /** Ids of the ticked boxes; at most {@code max}. */
    public static List<UUID> uuids(String field, List<String> values, int max) {
        List<String> given = values == null ? List.of() : values;
        if (given.size() > max) {
            throw ProblemException.badRequest(field + ": at most " + max + " at once; use \"all matching\" instead");
        }
        List<UUID> ids = new ArrayList<>(given.size());
        for (String v : given) {
            ids.add(requiredUuid(field, v));
        }
        return ids;
    }

    /** Empty becomes null, the rest is stripped; text with NUL or control characters is a 400. */
    public static String text(String value) {
        String problem = TextRules.checkText(value);
        if (problem != null) {
            throw ProblemException.badRequest("a field " + problem);
        }
        return value == null || value.isBlank() ? null : value.strip();
    }
}
