package io.sensorfleet.console.enrollment;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sensorfleet.console.agentplane.AgentPlaneServer;
import io.sensorfleet.console.certificates.InternalCa;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.PostgresTestResource;
import io.sensorfleet.console.support.TestClock;
import io.sensorfleet.console.support.TestSensor;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;
import io.sensorfleet.protocol.v1.enrollment.Fingerprints;
import io.sensorfleet.protocol.v1.Problem;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class EnrollmentResourceTest {
    @Inject
    AgentPlaneServer agentPlane;
    @Inject
    InternalCa ca;
    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private TestSensor sensor() {
        return new TestSensor("https://127.0.0.1:" + agentPlane.port(), ca.certificatePem());
    }

    private static String token(String connectionString) {
        return ConnectionString.parse(connectionString).token();
    }

    @Test
    void connectionStringCarriesAgentPlaneAddressAndCaFingerprint() throws Exception {
        ConnectionString cs = ConnectionString.parse(Api.connectionString(Map.of("description", "rack 4")));
        assertEquals(Fingerprints.sha256Hex(ca.certificate().getEncoded()), cs.caFingerprint());
        assertTrue(cs.addresses().stream().anyMatch(a -> a.port() == agentPlane.port()), cs.addresses().toString());
    }

    @Test
    void enrollIssuesCertificateForTheSensorKeyWithSubjectChosenByTheConsole() {
        TestSensor s = sensor();
        HttpResponse<String> r = s.enroll(token(Api.connectionString(Map.of())));
        assertEquals(200, r.statusCode(), r.body());
        X509Certificate cert = TestSensor.certificate(s.identity().certificatePem());
        assertEquals("CN=" + s.identity().sensorId() + ",OU=sensor,O=SensorFleet", cert.getSubjectX500Principal().getName());
        assertEquals(ca.certificate().getSubjectX500Principal(), cert.getIssuerX500Principal());
        long days = Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()).toDays();
        assertTrue(days >= 29 && days <= 31, "lifetime " + days + " days");
    }

    @Test
    void twentyConcurrentEnrollmentsWithOneTokenLetExactlyOneSucceed() throws Exception {
        String token = token(Api.connectionString(Map.of()));
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> results = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            TestSensor s = sensor();
            results.add(pool.submit(() -> {
                start.await();
                return s.enroll(token);
            }));
        }
        start.countDown();
        int ok = 0;
        int used = 0;
        for (Future<HttpResponse<String>> f : results) {
            HttpResponse<String> r = f.get();
            if (r.statusCode() == 200) {
                ok++;
            } else {
                assertEquals(409, r.statusCode(), r.body());
                assertEquals(Problem.TYPE_PREFIX + "token-used", TestSensor.read(r.body(), Problem.class).type());
                used++;
            }
        }
        pool.shutdown();
        assertEquals(1, ok);
        assertEquals(19, used);
    }

    @Test
    void expiredTokenIsRefusedWithProblem() {
        String token = token(Api.connectionString(Map.of("ttlSeconds", 60)));
        clock.advance(Duration.ofMinutes(2));
        assertRefused(sensor().enroll(token), 401, "token-expired");
    }

    @Test
    void revokedTokenIsRefusedAndCannotBeRevivedAfterUse() {
        var created = Api.asAdmin().body(Map.of()).post("/api/v1/connection-strings").then().statusCode(201).extract();
        String id = created.path("id");
        Api.asAdmin().delete("/api/v1/connection-strings/" + id).then().statusCode(200).body("status", equalTo("REVOKED"));
        assertRefused(sensor().enroll(token(created.path("connectionString"))), 401, "token-revoked");
    }

    @Test
    void unknownTokenIsRefused() {
        String random = UUID.randomUUID().toString().replace("-", "") + "abcdefghijk";
        assertRefused(sensor().enroll(random), 401, "token-unknown");
    }

    @Test
    void usedTokenIsRefusedOnSecondUse() {
        String token = token(Api.connectionString(Map.of()));
        assertEquals(200, sensor().enroll(token).statusCode());
        assertRefused(sensor().enroll(token), 409, "token-used");
    }

    @Test
    void csrWhoseSignatureDoesNotMatchItsKeyIsRefusedAndDoesNotSpendTheToken() {
        String token = token(Api.connectionString(Map.of()));
        String forged = TestSensor.csr(TestSensor.newKeyPair(), TestSensor.newKeyPair());
        TestSensor s = sensor();
        HttpResponse<String> bad = s.post(s.plainClient(), "/agent/v1/enroll",
                new io.sensorfleet.protocol.v1.enrollment.EnrollRequest(token, forged, "x", "1.0.0"));
        assertEquals(400, bad.statusCode(), bad.body());
        assertEquals(200, s.enroll(token).statusCode(), "token must still be usable after a refused CSR");
    }

    @Test
    void csrSignedWithEcdsaSha1IsRefusedAndDoesNotSpendTheToken() throws Exception {
        String token = token(Api.connectionString(Map.of()));
        java.security.KeyPair keys = TestSensor.newKeyPair();
        var req = new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(
                new org.bouncycastle.asn1.x500.X500Name("CN=sha1"), keys.getPublic())
                .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA1withECDSA").build(keys.getPrivate()));
        java.io.StringWriter pem = new java.io.StringWriter();
        try (var w = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(pem)) {
            w.writeObject(req);
        }
        TestSensor s = sensor();
        HttpResponse<String> bad = s.post(s.plainClient(), "/agent/v1/enroll",
                new io.sensorfleet.protocol.v1.enrollment.EnrollRequest(token, pem.toString(), "x", "1.0.0"));
        assertEquals(400, bad.statusCode(), bad.body());
        assertTrue(bad.body().contains("invalid-csr") && bad.body().contains("SHA-256"), bad.body());
        assertEquals(200, s.enroll(token).statusCode(), "token must still be usable after a refused CSR");
    }

    @Test
    void malformedEnrollBodyGivesProblem() {
        TestSensor s = sensor();
        HttpResponse<String> r = s.post(s.plainClient(), "/agent/v1/enroll", Map.of("token", 42, "csrPem", List.of()));
        assertEquals(400, r.statusCode(), r.body());
        assertEquals(Problem.MEDIA_TYPE, r.headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void enrolledSensorLandsInThePreassignedZoneAndTheTokenRecordsIt() {
        String zoneId = Api.zone("zone");
        var created = Api.asAdmin().body(Map.of("zoneId", zoneId)).post("/api/v1/connection-strings")
                .then().statusCode(201).extract();
        TestSensor s = sensor();
        assertEquals(200, s.enroll(token(created.path("connectionString"))).statusCode());
        Api.asAdmin().get("/api/v1/sensors/" + s.identity().sensorId()).then().statusCode(200).body("zoneId", equalTo(zoneId));
        Api.asAdmin().get("/api/v1/connection-strings/" + created.path("id")).then().statusCode(200)
                .body("status", equalTo("USED")).body("usedBySensorId", equalTo(s.identity().sensorId()));
    }

    @Test
    void listingNeverShowsTokensAgain() {
        String token = token(Api.connectionString(Map.of("description", "listing")));
        Api.asAdmin().get("/api/v1/connection-strings?size=500").then().statusCode(200)
                .body(not(containsString(token))).body("items.size()", org.hamcrest.Matchers.greaterThan(0));
    }

    @Test
    void unknownZoneAndAbsurdTtlAreRefusedWithoutCreatingAnything() {
        long before = Api.asAdmin().get("/api/v1/connection-strings?size=1").then().extract().jsonPath().getLong("total");
        Api.asAdmin().body(Map.of("zoneId", UUID.randomUUID().toString())).post("/api/v1/connection-strings")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE).body("detail", containsString("zoneId"));
        Api.asAdmin().body(Map.of("ttlSeconds", 10)).post("/api/v1/connection-strings")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        Api.asAdmin().body(Map.of("ttlSeconds", 100L * 24 * 3600)).post("/api/v1/connection-strings")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        long after = Api.asAdmin().get("/api/v1/connection-strings?size=1").then().extract().jsonPath().getLong("total");
        assertEquals(before, after);
    }

    @Test
    void everyEnrollmentGetsAUniqueSerial() {
        Set<java.math.BigInteger> serials = new HashSet<>();
        List<String> tokens = Api.asAdmin().body(Map.of("count", 10)).post("/api/v1/connection-strings/batch")
                .then().statusCode(201).extract().jsonPath().getList("connectionString");
        for (String cs : tokens) {
            TestSensor s = sensor();
            assertEquals(200, s.enroll(token(cs)).statusCode());
            serials.add(TestSensor.certificate(s.identity().certificatePem()).getSerialNumber());
        }
        assertEquals(10, serials.size());
        assertNotEquals(0, serials.iterator().next().signum());
    }

    @Test
    void enrolledSensorRenewsItsCertificateForANewKeyOverMutualTls() {
        TestSensor s = sensor();
        assertEquals(200, s.enroll(token(Api.connectionString(Map.of()))).statusCode());
        X509Certificate first = TestSensor.certificate(s.identity().certificatePem());
        var newKeys = TestSensor.newKeyPair();
        clock.advance(Duration.ofDays(20));
        HttpResponse<String> r = s.renew(newKeys);
        assertEquals(200, r.statusCode(), r.body());
        var renewed = TestSensor.read(r.body(), io.sensorfleet.protocol.v1.enrollment.EnrollResponse.class);
        X509Certificate second = TestSensor.certificate(renewed.certificatePem());
        assertEquals(s.identity().sensorId(), renewed.sensorId());
        assertEquals(newKeys.getPublic(), second.getPublicKey());
        assertNotEquals(first.getSerialNumber(), second.getSerialNumber());
        assertTrue(second.getNotAfter().after(first.getNotAfter()));
        clock.reset();
        Api.asAdmin().get("/api/v1/sensors/" + s.identity().sensorId()).then()
                .body("certificateNotAfter", equalTo(renewed.certificateNotAfter().toString()));
    }

    @Test
    void renewalWithoutClientCertificateIsRefused() {
        TestSensor s = sensor();
        HttpResponse<String> r = s.post(s.plainClient(), "/agent/v1/renew",
                new io.sensorfleet.protocol.v1.enrollment.RenewRequest(TestSensor.csr(TestSensor.newKeyPair())));
        assertRefused(r, 401, "client-certificate-required");
    }

    private static void assertRefused(HttpResponse<String> r, int status, String type) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(Problem.MEDIA_TYPE, r.headers().firstValue("Content-Type").orElse(""));
        assertEquals(Problem.TYPE_PREFIX + type, TestSensor.read(r.body(), Problem.class).type(), r.body());
    }
}
