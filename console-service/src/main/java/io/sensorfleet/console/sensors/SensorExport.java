package io.sensorfleet.console.sensors;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sensorfleet.console.common.Csv;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The inventory, as the current filter selects it, streamed as CSV or JSON Lines by id. Pages of
 * {@link #PAGE} sensors are read by key (after the last id written), each in its own short read,
 * and the persistence context is emptied after each: memory stays the same whatever the fleet's
 * size, and no transaction stays open while a slow client reads.
 */
@ApplicationScoped
public class SensorExport {
    static final int PAGE = 1000;
    /** The first page is smaller, so the first lines leave at once (a reader sees the export start). */
    static final int FIRST_PAGE = 100;
    static final String CSV_HEADER = "id,name,hostname,zone,software_version,connectivity,health,update_status,"
            + "last_backup_at,last_seen,certificate_serial,certificate_not_after,labels\n";

    /** One sensor as exported. */
    public record Line(UUID id, String name, String hostname, String zone, String softwareVersion,
                       Connectivity connectivity, String health, String updateStatus, Instant lastBackupAt,
                       Instant lastSeen, BigDecimal certificateSerial, Instant certificateNotAfter,
                       SortedMap<String, String> labels) {
    }

    private final EntityManager em;
    private final ObjectMapper json;

    SensorExport(EntityManager em, ObjectMapper json) {
        this.em = em;
        this.json = json;
    }

    public void csv(SensorFilter filter, OutputStream out) {
        export(filter, out, CSV_HEADER, l -> String.join(",", l.id().toString(), Csv.cell(l.name()),
                Csv.cell(l.hostname()), Csv.cell(l.zone()), Csv.cell(l.softwareVersion()), l.connectivity().name(),
                text(l.health()), text(l.updateStatus()), text(l.lastBackupAt()), text(l.lastSeen()),
                l.certificateSerial().toPlainString(), text(l.certificateNotAfter()),
                Csv.cell(l.labels().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(";")))) + "\n");
    }

    public void jsonLines(SensorFilter filter, OutputStream out) {
        export(filter, out, "", l -> {
            try {
                return json.writeValueAsString(l) + "\n";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private void export(SensorFilter filter, OutputStream out, String header, java.util.function.Function<Line, String> format) {
        try {
            Writer w = new java.io.BufferedWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
            w.write(header);
            UUID after = null;
            int size = FIRST_PAGE;
            while (true) {
                UUID from = after;
                int limit = size;
                List<Line> page = QuarkusTransaction.requiringNew().call(() -> page(filter, from, limit));
                for (Line l : page) {
                    w.write(format.apply(l));
                }
                w.flush();
                if (page.size() < size) {
                    return;
                }
                after = page.get(page.size() - 1).id();
                size = PAGE;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<Line> page(SensorFilter filter, UUID after, int size) {
        Map<String, Object> params = SensorFilter.params();
        String where = filter.where(params);
        TypedQuery<Sensor> q = em.createQuery("select s from Sensor s where (" + where + ")"
                + (after == null ? "" : " and s.id > :after") + " order by s.id", Sensor.class);
        params.forEach(q::setParameter);
        if (after != null) {
            q.setParameter("after", after);
        }
        List<Sensor> sensors = q.setMaxResults(size).getResultList();
        Map<UUID, String> zones = SensorService.zoneNames(sensors);
        Map<UUID, Map<String, String>> labels = SensorLabels.of(em, sensors.stream().map(s -> s.id).toList());
        List<Line> lines = sensors.stream().map(s -> new Line(s.id, s.name, s.hostname, zones.get(s.zoneId),
                s.softwareVersion, s.connectivity, s.healthStatus, s.updateStatus, s.lastBackupAt, s.lastSeen,
                s.certificateSerial, s.certificateNotAfter, new TreeMap<>(labels.getOrDefault(s.id, Map.of())))).toList();
        em.clear();
        return lines;
    }

    private static String text(Object o) {
        return o == null ? "" : Csv.cell(o.toString());
    }
}
