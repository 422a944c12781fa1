package io.sensorfleet.console.sensors;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

/** One label of a sensor, for the inventory filter's JPQL; written only by {@link SensorLabels}. */
@Entity
@Table(name = "sensor_labels")
@IdClass(SensorLabel.Key.class)
public class SensorLabel {
    /** The composite key. */
    public static class Key implements Serializable {
        public UUID sensorId;
        public String key;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && java.util.Objects.equals(sensorId, k.sensorId) && java.util.Objects.equals(key, k.key);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(sensorId, key);
        }
    }

    @Id
    @Column(name = "sensor_id")
    public UUID sensorId;
    @Id
    public String key;
    @Column(nullable = false)
    public String value;
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
