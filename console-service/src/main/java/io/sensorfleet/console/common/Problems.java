package io.sensorfleet.console.common;

import io.sensorfleet.console.platform.ProblemType;
import io.sensorfleet.protocol.v1.Problem;

/** Builds RFC 9457 bodies the same way on both planes, from the {@link ProblemType} table. */
public final class Problems {
    private Problems() {
    }

    public static Problem of(ProblemType type, String detail, String instance) {
        return new Problem(type.uri(), type.title(), type.status(), detail, instance);
    }

    public static Problem of(ProblemException e, String instance) {
        return of(e.problem(), e.getMessage(), instance);
    }

    /**
     * An error the HTTP framework raised with only a status (405, 415, …): the table's entry when the
     * status's reason phrase names one (404 is {@code not-found}), else type and title from the reason phrase.
     */
    public static Problem ofHttpStatus(int status, String reasonPhrase, String detail, String instance) {
        String slug = reasonPhrase.toLowerCase(java.util.Locale.ROOT).replace(' ', '-');
        return ProblemType.bySlug(slug).filter(t -> t.status() == status)
                .map(t -> of(t, detail, instance))
                .orElseGet(() -> new Problem(Problem.TYPE_PREFIX + slug, reasonPhrase, status, detail, instance));
    }
}
