package io.sensorfleet.console.security;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.PostgresTestResource;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class SecurityHeadersResourceTest {

    @Test
    void everyKindOfResponseCarriesTheBrowserSecurityHeaders() {
        assertSecure(given().get("/ui/login"), true);
        assertSecure(given().get("/api/v1/sensors"), true);
        assertSecure(Api.asAdmin().get("/api/v1/sensors"), true);
        assertSecure(given().get("/api/v1/no-such-thing"), true);
        assertSecure(given().get("/static/app.js"), false);
    }

    @Test
    void redirectsDoNotEchoAForgedHost() {
        Response root = given().redirects().follow(false).header("Host", "evil.example").get("/");
        assertEquals("/ui", root.getHeader("Location"));
        String csrf = "c-" + UUID.randomUUID();
        Response login = given().redirects().follow(false).header("Host", "evil.example").cookie("sf_login_csrf", csrf)
                .formParam("_csrf", csrf).formParam("username", "admin").formParam("password", "test-admin-password")
                .post("/ui/login");
        assertEquals(303, login.statusCode(), login.asString());
        assertFalse(login.getHeader("Location").contains("evil.example"), login.getHeader("Location"));
        assertEquals("/ui", login.getHeader("Location"));
    }

    private static void assertSecure(Response r, boolean noStore) {
        String csp = r.getHeader("Content-Security-Policy");
        assertTrue(csp != null && csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'")
                && !csp.contains("unsafe-inline"), String.valueOf(csp));
        assertEquals("DENY", r.getHeader("X-Frame-Options"));
        assertTrue(r.getHeader("Strict-Transport-Security").startsWith("max-age="));
        assertEquals("nosniff", r.getHeader("X-Content-Type-Options"));
        assertEquals("same-origin", r.getHeader("Referrer-Policy"));
        if (noStore) {
            assertEquals("no-store", r.getHeader("Cache-Control"));
        }
    }
}
