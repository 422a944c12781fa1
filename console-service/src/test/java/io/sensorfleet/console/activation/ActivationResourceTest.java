package io.sensorfleet.console.activation;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sensorfleet.console.agentplane.AgentPlaneServer;
import io.sensorfleet.console.certificates.InternalCa;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.PostgresTestResource;
import io.sensorfleet.console.support.TestClock;
import io.sensorfleet.console.support.TestSensor;
import io.sensorfleet.protocol.v1.activation.ActivationInstalled;
import io.sensorfleet.protocol.v1.activation.ActivationKeyList;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;
import io.sensorfleet.protocol.v1.Problem;
import jakarta.inject.Inject;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwx.JsonWebStructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class ActivationResourceTest {
    @Inject
    AgentPlaneServer agentPlane;
    @Inject
    InternalCa ca;
    @Inject
    TestClock clock;

    @AfterEach
    void reset() {
        clock.reset();
    }

    private TestSensor sensor() {
        TestSensor s = new TestSensor("https://127.0.0.1:" + agentPlane.port(), ca.certificatePem());
        assertEquals(200, s.enroll(ConnectionString.parse(Api.connectionString(Map.of())).token()).statusCode());
        return s;
    }

    private static String issue(String sensorId, Map<String, Object> body) {
        return Api.asAdmin().body(body).post("/api/v1/sensors/" + sensorId + "/activation").then().statusCode(201)
                .extract().path("id");
    }

    private static String download(String sensorId, String fileId) {
        return Api.asAdmin().get("/api/v1/sensors/" + sensorId + "/activation/" + fileId + "/file").then()
                .statusCode(200).extract().asString();
    }

    @Test
    void issuedFileIsAStandardJwsThatVerifiesWithTheKeysTheSensorsGet() throws Exception {
        TestSensor s = sensor();
        String id = s.identity().sensorId();
        String file = download(id, issue(id, Map.of("mode", "CONSOLE_CONNECTED")));
        HttpResponse<String> keys = s.get("/agent/v1/activation/keys");
        assertEquals(200, keys.statusCode(), keys.body());
        ActivationKeyList list = TestSensor.read(keys.body(), ActivationKeyList.class);
        // An independent JOSE library verifies it with the published key.
        JsonWebSignature jws = (JsonWebSignature) JsonWebStructure.fromCompactSerialization(file);
        String kid = jws.getKeyIdHeaderValue();
        String key = list.keys().stream().filter(k -> k.kid().equals(kid)).findFirst().orElseThrow().publicKey();
        jws.setKey(ActivationKeys.publicKey(key));
        assertTrue(jws.verifySignature());
        assertTrue(jws.getPayload().contains("\"sensorId\":\"" + id + "\""), jws.getPayload());
    }

    @Test
    void locallyManagedFileWarnsThirtyDaysAheadAndExpiredSensorKeepsWorking() {
        TestSensor s = sensor();
        String id = s.identity().sensorId();
        String fileId = issue(id, Map.of("mode", "LOCALLY_MANAGED", "validDays", 60));
        assertEquals(204, s.postMtls("/agent/v1/activation", new ActivationInstalled(fileId)).statusCode());
        Api.asAdmin().get("/api/v1/sensors/" + id).then().body("activationMode", equalTo("LOCALLY_MANAGED"))
                .body("activationWarning", nullValue());
        clock.advance(Duration.ofDays(31));
        Api.asAdmin().get("/api/v1/sensors/" + id).then().body("activationWarning", equalTo("EXPIRING"));
        clock.advance(Duration.ofDays(30));
        Api.asAdmin().get("/api/v1/sensors/" + id).then().body("activationWarning", equalTo("EXPIRED"));
        assertEquals(200, s.heartbeat(clock.instant()).statusCode(), "an expired sensor keeps working");
    }

    @Test
    void renameTakesEffectWhenTheSensorInstallsTheNewFile() {
        TestSensor s = sensor();
        String id = s.identity().sensorId();
        String oldName = Api.asAdmin().get("/api/v1/sensors/" + id).then().extract().path("name");
        String fileId = Api.asAdmin().body(Map.of("name", "substation-7-north")).post("/api/v1/sensors/" + id + "/activation/rename")
                .then().statusCode(201).body("sensorName", equalTo("substation-7-north")).extract().path("id");
        Api.asAdmin().get("/api/v1/sensors/" + id).then().body("name", equalTo(oldName));
        assertEquals(204, s.postMtls("/agent/v1/activation", new ActivationInstalled(fileId)).statusCode());
        Api.asAdmin().get("/api/v1/sensors/" + id).then().body("name", equalTo("substation-7-north"));
    }

    @Test
    void consoleRejectsASupersededFileAndOneForAnotherSensor() {
        TestSensor s = sensor();
        String id = s.identity().sensorId();
        String older = issue(id, Map.of("mode", "CONSOLE_CONNECTED"));
        issue(id, Map.of("mode", "CONSOLE_CONNECTED"));
        HttpResponse<String> r = s.postMtls("/agent/v1/activation", new ActivationInstalled(older));
        assertEquals(409, r.statusCode(), r.body());
        assertEquals(Problem.TYPE_PREFIX + "activation-superseded", TestSensor.read(r.body(), Problem.class).type());
        String otherSensorsFile = issue(sensor().identity().sensorId(), Map.of("mode", "CONSOLE_CONNECTED"));
        assertEquals(404, s.postMtls("/agent/v1/activation", new ActivationInstalled(otherSensorsFile)).statusCode());
    }

    @Test
    void invalidIssueRequestsAreRefused() {
        String id = sensor().identity().sensorId();
        Api.asAdmin().body(Map.of("mode", "LOCALLY_MANAGED")).post("/api/v1/sensors/" + id + "/activation")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        Api.asAdmin().body(Map.of("mode", "CONSOLE_CONNECTED", "validDays", 5)).post("/api/v1/sensors/" + id + "/activation")
                .then().statusCode(400);
        Api.asAdmin().body(Map.of("name", "../../etc")).post("/api/v1/sensors/" + id + "/activation/rename")
                .then().statusCode(400);
    }

    @Test
    void rotatedKeysKeepOlderFilesValidUntilRetired() {
        String kidBefore = Api.asAdmin().get("/api/v1/activation/keys").then().statusCode(200).extract().path("[0].kid");
        String kidAfter = Api.asAdmin().post("/api/v1/activation/keys").then().statusCode(201).extract().path("kid");
        assertTrue(!kidAfter.equals(kidBefore));
        Api.asAdmin().get("/api/v1/activation/keys").then().body("find { it.kid == '" + kidBefore + "' }.retiredAt", nullValue());
        Api.asAdmin().delete("/api/v1/activation/keys/" + kidBefore).then().statusCode(200);
        Api.asAdmin().get("/api/v1/activation/keys").then()
                .body("find { it.kid == '" + kidBefore + "' }.retiredAt", org.hamcrest.Matchers.notNullValue());
    }
}
