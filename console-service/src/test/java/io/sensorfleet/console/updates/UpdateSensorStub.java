package io.sensorfleet.console.updates;

import io.sensorfleet.console.support.TestSensor;
import io.sensorfleet.protocol.v1.AgentPaths;
import io.sensorfleet.protocol.v1.heartbeat.Health;
import io.sensorfleet.protocol.v1.heartbeat.HeartbeatRequest;
import io.sensorfleet.protocol.v1.update.UpdateProgress;
import io.sensorfleet.protocol.v1.update.UpdateStage;
import io.sensorfleet.protocol.v1.update.UpdateTask;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A sensor that speaks the update protocol by hand, so tests decide what each stage reports. */
final class UpdateSensorStub {
    final TestSensor sensor;

    UpdateSensorStub(TestSensor sensor) {
        this.sensor = sensor;
    }

    String id() {
        return sensor.identity().sensorId();
    }

    String name() {
        return sensor.identity().sensorName();
    }

    void reportVersion(String version) {
        HttpResponse<String> r = sensor.postMtls(AgentPaths.HEARTBEAT, new HeartbeatRequest(Instant.now(), version, Health.ok()));
        assertEquals(200, r.statusCode(), r.body());
    }

    /** A heartbeat at the sensor's time {@code at} with this health (and its checks), as the sensor would send it. */
    void reportHealth(Instant at, String version, Health health) {
        HttpResponse<String> r = sensor.postMtls(AgentPaths.HEARTBEAT, new HeartbeatRequest(at, version, health));
        assertEquals(200, r.statusCode(), r.body());
    }

    /** Long-polls up to {@code seconds} for a task. */
    Optional<UpdateTask> poll(int seconds) {
        HttpResponse<String> r = sensor.get(AgentPaths.UPDATE_TASKS + "?waitSeconds=" + seconds);
        if (r.statusCode() == 204) {
            return Optional.empty();
        }
        assertEquals(200, r.statusCode(), r.body());
        return Optional.of(TestSensor.read(r.body(), UpdateTask.class));
    }

    UpdateTask task() {
        return poll(10).orElseThrow(() -> new AssertionError("sensor " + name() + " got no update task"));
    }

    HttpResponse<String> report(UpdateTask t, UpdateStage stage, String detail, String log, String version) {
        return sensor.postMtls(AgentPaths.UPDATE_PROGRESS, new UpdateProgress(t.taskId(), stage, null, detail, log, version));
    }

    /** Goes through every stage to SUCCEEDED. */
    void succeed(UpdateTask t) {
        for (UpdateStage s : new UpdateStage[] {UpdateStage.DOWNLOADING, UpdateStage.BACKING_UP, UpdateStage.VERIFYING,
                UpdateStage.INSTALLING, UpdateStage.VALIDATING}) {
            assertEquals(204, report(t, s, null, null, null).statusCode());
        }
        assertEquals(204, report(t, UpdateStage.SUCCEEDED, "healthy", null, t.version()).statusCode());
    }
}
