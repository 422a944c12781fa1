package io.sensorfleet.console.sensors;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.PostgresTestResource;
import io.sensorfleet.console.support.SqlFleet;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class SensorLabelsResourceTest {
    @Inject
    AgroalDataSource db;

    private String fleet(int n) throws Exception {
        String prefix = "lbl-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        SqlFleet.insert(db, prefix, n);
        return prefix;
    }

    private static List<String> ids(String prefix) {
        return Api.asAdmin().get("/api/v1/sensors?size=1000&name=" + prefix).then().statusCode(200).extract()
                .jsonPath().getList("items.id");
    }

    private static int total(String query) {
        return Api.asAdmin().get("/api/v1/sensors?size=1&" + query).then().statusCode(200).extract().path("total");
    }

    private static Map<String, Object> labels(Object filterOrIds, Map<String, String> set, List<String> remove) {
        Map<String, Object> body = new HashMap<>();
        body.put(filterOrIds instanceof List ? "sensorIds" : "filter", filterOrIds);
        if (set != null) {
            body.put("set", set);
        }
        if (remove != null) {
            body.put("remove", remove);
        }
        return body;
    }

    @Test
    void labelsSetByFilterShowOnSensorsAndSelectThemInEveryFilter() throws Exception {
        String p = fleet(12);
        long audits = Api.auditCount();
        Api.asAdmin().body(labels(Map.of("name", p), Map.of("env", "prod", "rack", "r-1"), null))
                .post("/api/v1/sensors/labels").then().statusCode(200).body("sensors", equalTo(12)).body("set", equalTo(24));
        assertTrue(Api.auditCount() > audits, "a label change is audited");
        String one = ids(p).get(0);
        Api.asAdmin().body(labels(List.of(one), Map.of("env", "dev"), null)).post("/api/v1/sensors/labels")
                .then().statusCode(200).body("sensors", equalTo(1));

        assertEquals(11, total("name=" + p + "&label=env=prod"));
        assertEquals(1, total("name=" + p + "&label=env=dev"));
        assertEquals(12, total("name=" + p + "&label=env"));
        assertEquals(12, total("name=" + p + "&label=env&label=rack=r-1"));
        assertEquals(0, total("name=" + p + "&label=owner"));
        Api.asAdmin().get("/api/v1/sensors/" + one).then().statusCode(200)
                .body("labels.env", equalTo("dev")).body("labels.rack", equalTo("r-1"));

        // The bulk operations' filter body (zones, settings, rollouts, backups) takes the same conditions.
        String zone = Api.zone("labels");
        Api.asAdmin().body(Map.of("zoneId", zone, "filter", Map.of("labels", List.of("env=prod"), "name", p)))
                .post("/api/v1/sensors/assignment").then().statusCode(200).body("changed", equalTo(11));

        Api.asAdmin().body(labels(Map.of("name", p, "labels", List.of("env=prod")), null, List.of("rack")))
                .post("/api/v1/sensors/labels").then().statusCode(200).body("removed", equalTo(11));
        assertEquals(1, total("name=" + p + "&label=rack"));
    }

    @Test
    void badLabelsAreRefusedWithAProblemAndChangeNothing() throws Exception {
        String p = fleet(2);
        String one = ids(p).get(0);
        Map<String, String> twenty = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            twenty.put("k" + i, "v");
        }
        Api.asAdmin().body(labels(List.of(one), twenty, null)).post("/api/v1/sensors/labels").then().statusCode(200);

        refused(labels(List.of(one), Map.of("bad key", "v"), null), "label key");
        refused(labels(List.of(one), Map.of("=cmd", "v"), null), "label key");
        refused(labels(List.of(one), Map.of("ok", "line\nbreak"), null), "label value");
        refused(labels(List.of(one), Map.of("ok", "x".repeat(201)), null), "label value");
        refused(labels(List.of(one), Map.of("k".repeat(64), "v"), null), "label key");
        refused(labels(List.of(one), Map.of("ok", "v"), List.of("ok")), "both set and removed");
        refused(labels(List.of(one), Map.of(), List.of()), "give labels");
        Map<String, String> thirteen = new HashMap<>();
        for (int i = 0; i < 13; i++) {
            thirteen.put("more" + i, "v");
        }
        refused(labels(Map.of("name", p), thirteen, null), "more than 32 labels");
        refused(labels(Map.of("labels", List.of("bad key=x")), Map.of("ok", "v"), null), "label key");
        Api.asAdmin().get("/api/v1/sensors?label=bad%20key").then().statusCode(400)
                .contentType("application/problem+json");

        Map<?, ?> kept = Api.asAdmin().get("/api/v1/sensors/" + one).then().extract().path("labels");
        assertEquals(20, kept.size(), "a refused request changed nothing: " + kept);
        assertEquals(0, total("name=" + p + "&label=ok"));
        Api.as("READ_ONLY").body(labels(List.of(one), Map.of("ok", "v"), null)).post("/api/v1/sensors/labels")
                .then().statusCode(403);
    }

    private static void refused(Map<String, Object> body, String detail) {
        Api.asAdmin().body(body).post("/api/v1/sensors/labels").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString(detail));
    }

    @Test
    void updateStatusAndLastBackupFollowTheUpdateAndBackupTables() throws Exception {
        String p = fleet(3);
        List<String> ids = ids(p);
        UUID pkg = UUID.randomUUID();
        UUID rollout = UUID.randomUUID();
        try (Connection c = db.getConnection()) {
            exec(c, "insert into update_packages (id, version, manifest, applies_to, requires_new_activation, "
                    + "payload_sha256, package_sha256, size_bytes, key_id, storage_name, uploaded_by, uploaded_at) "
                    + "values (?, ?, '{}', '*', false, 'x', 'x', 1, 'k', ?, 'test', now())", pkg, "9." + pkg, "s-" + pkg);
            exec(c, "insert into update_rollouts (id, package_id, target, canary_size, batch_size, max_parallel, "
                    + "failure_threshold_pct, state, batches, created_by, created_at, updated_at) "
                    + "values (?, ?, 'test', 1, 1, 1, 50, 'RUNNING', 1, 'test', now(), now())", rollout, pkg);
            UUID target = UUID.randomUUID();
            exec(c, "insert into update_targets (id, rollout_id, sensor_id, sensor_name, position, stage, from_version, "
                    + "updated_at) values (?, ?, ?, 'n', 0, 'WAITING', '1.0.0', now())", target, rollout,
                    UUID.fromString(ids.get(0)));
            exec(c, "update update_targets set stage = 'FAILED', updated_at = now() where id = ?", target);
            exec(c, "insert into backups (id, sensor_id, sensor_name, file_name, storage_name, software_version, "
                    + "size_bytes, sha256, state, created_at, stored_at) values (?, ?, 'n', 'f', ?, '1.0.0', 1, 'x', "
                    + "'STORED', now(), now())", UUID.randomUUID(), UUID.fromString(ids.get(1)), "b-" + UUID.randomUUID());
        }
        try (Connection c = db.getConnection()) {
            // A package row without a real manifest would break every page that lists packages.
            exec(c, "delete from update_rollouts where id = ?", rollout);
            exec(c, "delete from update_packages where id = ?", pkg);
        }
        Api.asAdmin().get("/api/v1/sensors/" + ids.get(0)).then().statusCode(200)
                .body("updateStatus", equalTo("FAILED")).body("lastBackupAt", nullValue());
        Api.asAdmin().get("/api/v1/sensors/" + ids.get(1)).then().statusCode(200)
                .body("updateStatus", nullValue()).body("lastBackupAt", notNullValue());
        assertEquals(1, total("name=" + p + "&updateStatus=FAILED"));
        assertEquals(2, total("name=" + p + "&updateStatus=NONE"));
        Api.asAdmin().get("/api/v1/sensors?updateStatus=BROKEN").then().statusCode(400).contentType("application/problem+json");
    }

    private static void exec(Connection c, String sql, Object... params) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
        }
    }

    @Test
    void searchFindsSensorsByNameIdHostnameSerialAndLabel() throws Exception {
        String p = fleet(5);
        List<String> ids = ids(p);
        String third = ids.get(2);
        String serial;
        try (Connection c = db.getConnection()) {
            exec(c, "update sensors set hostname = ? where id = ?", "host-" + p + "x.example", UUID.fromString(third));
            try (PreparedStatement ps = c.prepareStatement("select certificate_serial from sensors where id = ?")) {
                ps.setObject(1, UUID.fromString(third));
                var rs = ps.executeQuery();
                rs.next();
                serial = rs.getBigDecimal(1).toBigInteger().toString();
            }
        }
        Api.asAdmin().body(labels(List.of(ids.get(4)), Map.of("owner-" + p.substring(4, 12), "blue team"), null))
                .post("/api/v1/sensors/labels").then().statusCode(200);

        search(p + "00002", ids.get(1), "name");
        search(third, third, "id");
        search("HOST-" + p, third, "hostname");
        search(serial, third, "serial");
        search(new java.math.BigInteger(serial).toString(16), third, "serial");
        search("owner-" + p.substring(4, 12) + "=blue team", ids.get(4), "label");
        Api.asAdmin().get("/api/v1/sensors/search?q=" + p).then().statusCode(200).body("size()", equalTo(5));
        Api.asAdmin().get("/api/v1/sensors/search?q=" + p + "&limit=2").then().statusCode(200).body("size()", equalTo(2));
        Api.asAdmin().get("/api/v1/sensors/search?q=%25%25" + p).then().statusCode(200).body("size()", equalTo(0));
        Api.asAdmin().get("/api/v1/sensors/search?q=").then().statusCode(400).contentType("application/problem+json");
        Api.asAdmin().get("/api/v1/sensors/search?q=a&limit=1000").then().statusCode(400);
    }

    private static void search(String q, String id, String matched) {
        Api.asAdmin().queryParam("q", q).get("/api/v1/sensors/search").then().statusCode(200)
                .body("size()", equalTo(1)).body("[0].id", equalTo(id)).body("[0].matched", equalTo(matched));
    }

    @Test
    void exportStreamsTheFilteredInventoryWithFormulasNeutralised() throws Exception {
        String p = fleet(7);
        List<String> ids = ids(p);
        try (Connection c = db.getConnection()) {
            exec(c, "update sensors set name = ?, hostname = ? where id = ?", "=HYPERLINK(\"http://x\")" + p,
                    "@SUM(1)", UUID.fromString(ids.get(0)));
        }
        Api.asAdmin().body(labels(List.of(ids.get(1)), Map.of("note", "+cmd|' /C calc'!A0"), null))
                .post("/api/v1/sensors/labels").then().statusCode(200);

        String csv = Api.asAdmin().get("/api/v1/sensors/export?format=csv&name=" + p).then().statusCode(200)
                .contentType(containsString("text/csv")).extract().asString();
        String[] lines = csv.split("\n");
        assertEquals(SensorExport.CSV_HEADER.strip(), lines[0]);
        assertEquals(1 + 7, lines.length, csv);
        assertTrue(csv.contains(",\"'=HYPERLINK(\"\"http://x\"\")" + p + "\",\"'@SUM(1)\","), csv);
        assertTrue(csv.contains(",\"note=+cmd|' /C calc'!A0\"\n"), csv);
        assertTrue(!csv.contains(",=") && !csv.contains(",+") && !csv.contains(",@"), csv);

        String jsonl = Api.asAdmin().get("/api/v1/sensors/export?format=jsonl&name=" + p + "&label=note")
                .then().statusCode(200).extract().asString();
        assertEquals(1, jsonl.strip().split("\n").length, jsonl);
        assertTrue(jsonl.contains("\"labels\":{\"note\":\"+cmd|' /C calc'!A0\"}"), jsonl);
        Api.asAdmin().get("/api/v1/sensors/export?format=xml").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("csv or jsonl"));
    }
}
