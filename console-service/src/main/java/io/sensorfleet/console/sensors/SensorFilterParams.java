package io.sensorfleet.console.sensors;

import io.sensorfleet.protocol.v1.heartbeat.Health;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.QueryParam;

import java.util.List;
import java.util.UUID;

/** The inventory filter as query parameters, shared by the list and the export so they cannot drift apart. */
public class SensorFilterParams {
    @QueryParam("connectivity")
    Connectivity connectivity;
    @QueryParam("version")
    @Size(max = 64)
    String version;
    @QueryParam("name")
    @Size(max = 200)
    String name;
    @QueryParam("zoneId")
    UUID zoneId;
    @QueryParam("unassigned")
    Boolean unassigned;
    @QueryParam("siteId")
    UUID siteId;
    @QueryParam("regionId")
    UUID regionId;
    @QueryParam("businessUnitId")
    UUID businessUnitId;
    @QueryParam("health")
    Health.Status health;
    @QueryParam("updateStatus")
    UpdateStatus updateStatus;
    @QueryParam("label")
    List<String> label;

    SensorFilter filter() {
        return new SensorFilter(connectivity, version, name, zoneId, unassigned, siteId, regionId, businessUnitId,
                health, updateStatus, label);
    }
}
