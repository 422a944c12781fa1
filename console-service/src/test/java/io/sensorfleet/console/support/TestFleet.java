package io.sensorfleet.console.support;

import io.sensorfleet.console.agentplane.AgentPlaneServer;
import io.sensorfleet.console.certificates.InternalCa;
import io.sensorfleet.console.sensors.ConnectivitySweeper;
import io.sensorfleet.console.sensors.HeartbeatBuffer;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Sensors for {@code @QuarkusTest}s and the steps that change their state, with the test clock
 * instead of waiting: report (heartbeat and flush), go silent (clock past the disconnect time, sweep).
 */
public final class TestFleet {
    /** Past three default heartbeat intervals of 30 s. */
    public static final Duration SILENCE = Duration.ofSeconds(91);

    private final AgentPlaneServer agentPlane;
    private final InternalCa ca;
    private final HeartbeatBuffer heartbeats;
    private final ConnectivitySweeper sweeper;
    private final TestClock clock;

    public TestFleet(AgentPlaneServer agentPlane, InternalCa ca, HeartbeatBuffer heartbeats, ConnectivitySweeper sweeper,
                     TestClock clock) {
        this.agentPlane = agentPlane;
        this.ca = ca;
        this.heartbeats = heartbeats;
        this.sweeper = sweeper;
        this.clock = clock;
    }

    /** A sensor enrolled with a new connection string ({@code request} as for POST /connection-strings) that reported once. */
    public TestSensor reporting(Map<String, Object> request) {
        TestSensor s = new TestSensor("https://127.0.0.1:" + agentPlane.port(), ca.certificatePem());
        HttpResponse<String> r = s.enroll(ConnectionString.parse(Api.connectionString(request)).token());
        assertEquals(200, r.statusCode(), r.body());
        report(s);
        return s;
    }

    public TestSensor reporting() {
        return reporting(Map.of());
    }

    /** One heartbeat with the sensor's clock in line, written at once. */
    public void report(TestSensor s) {
        report(s, Duration.ZERO);
    }

    /** One heartbeat with the sensor's clock {@code offset} off the console's, written at once. */
    public void report(TestSensor s, Duration offset) {
        HttpResponse<String> r = s.heartbeat(clock.instant().plus(offset));
        assertEquals(200, r.statusCode(), r.body());
        heartbeats.flush();
    }

    /** Every sensor that did not report in the last three intervals is now DISCONNECTED. */
    public void silence() {
        clock.advance(SILENCE);
        sweeper.sweep();
    }

    public static UUID id(TestSensor s) {
        return UUID.fromString(s.identity().sensorId());
    }
}
