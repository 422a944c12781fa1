package io.sensorfleet.console.web.pages;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FieldErrorsTest {

    @Test
    void problemsGoToTheirFieldAndActionProblemsToTheRowTheActionCameFrom() {
        FieldErrors e = FieldErrors.of("name: required; filters.labels[0]: give key=value or key; a label key is 1 to 63;"
                + " reportSystemNotifications, reportAlerts: a rule must report; actions[1].headers: 'a b' is not a valid"
                + " header name; actions[1].headers.X: a value; actions[0]: url and headers belong to WEBHOOK actions",
                List.of(0, 2));
        assertEquals(7 - 1, e.all().size(), "a '; ' inside a problem does not split it");
        assertEquals(Map.of("name", "name: required",
                "labels", "filters.labels[0]: give key=value or key; a label key is 1 to 63",
                "reports", "reportSystemNotifications, reportAlerts: a rule must report"), e.fields());
        assertEquals(Map.of("headers", "actions[1].headers: 'a b' is not a valid header name; actions[1].headers.X: a value"),
                e.row(2), "the request's second action came from the form's third row");
        assertEquals(Map.of("action", "actions[0]: url and headers belong to WEBHOOK actions"), e.row(0));
        assertEquals(Map.of(), e.row(1));
    }

    @Test
    void aProblemOfAnActionTheFormDidNotMakeStaysInTheSummary() {
        FieldErrors e = FieldErrors.of("actions[3].port: required", List.of());
        assertEquals(List.of("actions[3].port: required"), e.all());
        assertEquals(Map.of("actions", "actions[3].port: required"), e.fields());
    }
}
