package io.sensorfleet.console.web.pages;

import io.quarkus.qute.TemplateExtension;
import io.sensorfleet.console.sensors.SensorView;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A sensor's labels as links to the inventory filtered by each (Qute has no URL encoding of its own). */
@TemplateExtension
final class LabelExtensions {
    private LabelExtensions() {
    }

    /** @param href the inventory filtered by this label */
    record LabelLink(String text, String href) {
    }

    static List<LabelLink> labelLinks(SensorView s) {
        return s.labels().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .map(t -> new LabelLink(t, "/ui/sensors?label=" + URLEncoder.encode(t, StandardCharsets.UTF_8))).toList();
    }
}
