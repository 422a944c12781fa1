package io.sensorfleet.console.web.pages;

import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.sensors.SensorFilter;
import io.sensorfleet.console.sensors.SensorService;
import io.sensorfleet.console.sensors.SensorView;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Picking sensors by name instead of pasting their ids: the sensors already ticked stay first and
 * ticked, followed by up to {@value #MATCHES} others whose name contains the search text. Ticked
 * values that are not ids of existing sensors are dropped (the form that submits them checks again).
 */
@ApplicationScoped
public class SensorPicker {
    static final int MATCHES = 20;
    /** Most ticked sensors a picker holds. */
    static final int MAX_CHOSEN = 1000;
    /** The element of the maintenance window form's picker. */
    static final String MAINTENANCE = "mw-picks";
    private static final int MAX_QUERY = 100;

    private final SensorService sensors;

    SensorPicker(SensorService sensors) {
        this.sensors = sensors;
    }

    /** @param q part of a name (blank: any); @param chosen the ticked sensor ids */
    public Picked pick(String q, List<String> chosen) {
        return pick(MAINTENANCE, q, chosen);
    }

    /**
     * @param element the id of the picker's element in its form (the search box's htmx target), so
     *                that several forms can each have one
     */
    public Picked pick(String element, String q, List<String> chosen) {
        Set<UUID> ids = new LinkedHashSet<>();
        for (String c : chosen == null ? List.<String>of() : chosen) {
            if (ids.size() >= MAX_CHOSEN) {
                break;
            }
            try {
                ids.add(UUID.fromString(c.strip()));
            } catch (IllegalArgumentException e) {
                // not an id: not a sensor to show
            }
        }
        List<SensorView> ticked = new ArrayList<>();
        for (UUID id : ids) {
            try {
                ticked.add(sensors.get(id));
            } catch (ProblemException e) {
                // deleted meanwhile
            }
        }
        String name = q == null || q.isBlank() ? null : q.strip();
        if (name != null && name.length() > MAX_QUERY) {
            name = name.substring(0, MAX_QUERY);
        }
        var page = sensors.list(new SensorFilter(null, null, name, null, null, null, null, null), 0, MATCHES + ticked.size());
        List<SensorView> others = page.items().stream().filter(s -> !ids.contains(s.id())).limit(MATCHES).toList();
        return new Picked(element, ticked, others, page.total(), name);
    }

    /**
     * @param element the picker's element id
     * @param total   how many sensors match the search, ticked ones included
     */
    public record Picked(String element, List<SensorView> ticked, List<SensorView> others, long total, String query) {
        /** Whether more sensors match than are shown. */
        public boolean more() {
            return total > (long) ticked.size() + others.size();
        }
    }
}
