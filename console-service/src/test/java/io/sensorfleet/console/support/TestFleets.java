package io.sensorfleet.console.support;

import io.sensorfleet.console.agentplane.AgentPlaneServer;
import io.sensorfleet.console.certificates.InternalCa;
import io.sensorfleet.console.sensors.ConnectivitySweeper;
import io.sensorfleet.console.sensors.HeartbeatBuffer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes {@link TestFleet} injectable into {@code @QuarkusTest}s. */
@ApplicationScoped
public class TestFleets {
    @Produces
    @Singleton
    TestFleet fleet(AgentPlaneServer agentPlane, InternalCa ca, HeartbeatBuffer heartbeats, ConnectivitySweeper sweeper,
                    TestClock clock) {
        return new TestFleet(agentPlane, ca, heartbeats, sweeper, clock);
    }
}
