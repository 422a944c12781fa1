package io.sensorfleet.console.web;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.Browser;
import io.sensorfleet.console.support.PostgresTestResource;
import io.sensorfleet.console.support.TestClock;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class WebSessionTest {
    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void rootAndPagesWithoutSessionLeadToLogin() {
        given().redirects().follow(false).get("/").then().statusCode(302).header("Location", containsString("/ui"));
        given().redirects().follow(false).get("/ui/sensors").then().statusCode(303)
                .header("Location", containsString("/ui/login"));
    }

    @Test
    void loginSetsAStrictHttpOnlySessionCookieAndShowsTheDashboard() {
        Response form = given().get("/ui/login");
        String loginCsrf = form.getCookie("sf_login_csrf");
        Response r = given().redirects().follow(false).cookie("sf_login_csrf", loginCsrf).formParam("_csrf", loginCsrf)
                .formParam("username", "admin").formParam("password", "test-admin-password").post("/ui/login");
        assertEquals(303, r.statusCode());
        String setCookie = r.getHeaders().getValues("Set-Cookie").stream().filter(c -> c.startsWith("sf_session="))
                .findFirst().orElseThrow();
        assertTrue(setCookie.contains("HttpOnly"), setCookie);
        assertTrue(setCookie.toLowerCase().contains("samesite=strict"), setCookie);
        given().cookie("sf_session", r.getCookie("sf_session")).get("/ui").then().statusCode(200)
                .body(containsString("Dashboard"), containsString("admin (ADMIN)"));
    }

    @Test
    void loginWithoutTheFormTokenIsRefused() {
        given().redirects().follow(false).formParam("username", "admin").formParam("password", "test-admin-password")
                .post("/ui/login").then().statusCode(403);
    }

    @Test
    void wrongPasswordShowsTheFormAgainAndIsAudited() {
        long before = Api.auditCount();
        Response form = given().get("/ui/login");
        String loginCsrf = form.getCookie("sf_login_csrf");
        given().redirects().follow(false).cookie("sf_login_csrf", loginCsrf).formParam("_csrf", loginCsrf)
                .formParam("username", "admin").formParam("password", "wrong").post("/ui/login")
                .then().statusCode(401).body(containsString("wrong password"));
        assertEquals(before + 1, Api.auditCount());
    }

    @Test
    void repeatedWrongPasswordsThrottleTheNameLikeTheApiLogin() {
        String name = "web-lock-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        Api.asAdmin().body(java.util.Map.of("username", name, "password", "the-right-password", "role", "READ_ONLY"))
                .post("/api/v1/users").then().statusCode(201);
        for (int i = 0; i < 10; i++) {
            loginForm(name, "wrong-password").then().statusCode(401);
        }
        loginForm(name, "the-right-password").then().statusCode(429).header("Retry-After", org.hamcrest.Matchers.notNullValue())
                .body(containsString("too many failed logins"));
        Api.asAdmin().body(java.util.Map.of("username", name, "password", "the-right-password"))
                .post("/api/v1/auth/login").then().statusCode(429);
    }

    private static Response loginForm(String username, String password) {
        String loginCsrf = given().get("/ui/login").getCookie("sf_login_csrf");
        return given().redirects().follow(false).cookie("sf_login_csrf", loginCsrf).formParam("_csrf", loginCsrf)
                .formParam("username", username).formParam("password", password).post("/ui/login");
    }

    @Test
    void formPostWithoutOrWithAWrongCsrfTokenIsRefusedAndChangesNothing() {
        Browser admin = Browser.admin();
        long zones = Api.asAdmin().get("/api/v1/zones").then().extract().jsonPath().getList("$").size();
        admin.get().formParam("name", "no-token").formParam("siteId", Api.siteId()).post("/ui/zones/zone")
                .then().statusCode(403);
        admin.get().formParam("_csrf", "forged").formParam("name", "bad-token").formParam("siteId", Api.siteId())
                .post("/ui/zones/zone").then().statusCode(403);
        assertEquals(zones, Api.asAdmin().get("/api/v1/zones").then().extract().jsonPath().getList("$").size());
    }

    @Test
    void sessionEndsAfterTheInactivityTimeout() {
        Browser admin = Browser.admin();
        admin.get().get("/ui").then().statusCode(200);
        clock.advance(Duration.ofMinutes(29));
        admin.get().get("/ui").then().statusCode(200);
        clock.advance(Duration.ofMinutes(31));
        admin.get().get("/ui").then().statusCode(303).header("Location", containsString("/ui/login"));
    }

    @Test
    void theLoginPageSendsALoggedInUserToTheDashboard() {
        Browser.admin().get().get("/ui/login").then().statusCode(303).header("Location", containsString("/ui"));
    }

    @Test
    void aPageRefreshingItselfDoesNotKeepTheSessionAlive() {
        Browser admin = Browser.admin();
        clock.advance(Duration.ofMinutes(20));
        admin.get().header("HX-Request", "true").get("/ui/dashboard/counts?poll").then().statusCode(200);
        clock.advance(Duration.ofMinutes(15));
        admin.get().header("HX-Request", "true").get("/ui/dashboard/counts?poll").then().statusCode(200)
                .header("HX-Redirect", "/ui/login");
    }

    @Test
    void logoutEndsTheSession() {
        Browser admin = Browser.admin();
        admin.form().post("/ui/logout").then().statusCode(303);
        admin.get().get("/ui").then().statusCode(303);
    }
}
