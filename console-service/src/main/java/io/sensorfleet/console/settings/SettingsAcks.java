package io.sensorfleet.console.settings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.sensorfleet.console.common.FlushBuffer;
import io.sensorfleet.console.sensors.SensorStore;
import io.sensorfleet.protocol.v1.settings.SettingsAck;
import io.sensorfleet.lib.settings.SettingDefinition;
import io.sensorfleet.lib.settings.SettingsCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Settings acknowledgements, written in batches like heartbeats: a push to 10,000 sensors comes
 * back as 10,000 acks within a second or two, which become a few UPDATE statements, not 10,000
 * transactions. An ack also moves the sensor between OUT_OF_SYNC and SYNCED (DISCONNECTED and
 * TIME_DIFF_OFFSET take precedence and are left alone).
 */
@ApplicationScoped
public class SettingsAcks {
    private static final Logger LOG = Logger.getLogger(SettingsAcks.class);

    private record Pending(UUID sensor, SettingsAck ack, Instant at) {
    }

    /** The latest acknowledgement per sensor. */
    private final FlushBuffer<UUID, Pending> pending = new FlushBuffer<>((older, newer) -> newer);

    private final SensorStore sensors;
    private final ObjectMapper json;
    private final Clock clock;
    private final SettingsFailures failures;

    SettingsAcks(SensorStore sensors, ObjectMapper json, Clock clock, SettingsFailures failures) {
        this.sensors = sensors;
        this.json = json;
        this.clock = clock;
        this.failures = failures;
    }

    public void record(UUID sensor, SettingsAck ack) {
        pending.put(sensor, new Pending(sensor, ack, clock.instant()));
    }

    @Scheduled(every = "${sensorfleet.settings.ack-flush-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void flush() {
        Map<UUID, Pending> batch = pending.take();
        if (batch.isEmpty()) {
            return;
        }
        List<Pending> rows = new ArrayList<>(batch.values());
        rows.sort(Comparator.comparing(Pending::sensor));
        try {
            sensors.settingsReported(rows.stream().map(p -> new SensorStore.SettingsReport(p.sensor(),
                    p.ack().revision(), p.ack().applied(), p.ack().applied() ? null : truncate(p.ack().reason()),
                    p.ack().driftKeys() == null || p.ack().driftKeys().isEmpty() ? null : write(p.ack().driftKeys()),
                    p.ack().appliedValues() == null ? null : write(withoutSecrets(p.ack().appliedValues())),
                    p.at())).toList());
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("writing %d settings acknowledgements failed, keeping them: %s", batch.size(), e.getMessage());
            batch.forEach(pending::putBack);
            return;
        }
        notifyFailures(rows);
    }

    /**
     * After the state is written: a notification lost here comes back with the sensor's next report
     * of the same failure (it retries a failed revision every minute).
     */
    private void notifyFailures(List<Pending> rows) {
        List<SettingsFailures.Failure> failed = rows.stream().filter(p -> !p.ack().applied())
                .map(p -> new SettingsFailures.Failure(p.sensor(), p.ack().revision(), truncate(p.ack().reason())))
                .toList();
        try {
            failures.record(failed);
        } catch (RuntimeException e) {
            LOG.warnf("recording %d settings failures as notifications failed: %s", failed.size(), e.getMessage());
        }
    }

    void onStop(@Observes ShutdownEvent ev) {
        flush();
    }

    private static String truncate(String reason) {
        String r = reason == null || reason.isBlank() ? "the sensor gave no reason" : reason;
        return r.length() > 1000 ? r.substring(0, 1000) : r;
    }

    private static Map<String, Object> withoutSecrets(Map<String, Object> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            boolean secret = SettingsCatalog.find(k).map(SettingDefinition::secret).orElse(true);
            if (!secret) {
                out.put(k, v);
            }
        });
        return out;
    }

    private String write(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
