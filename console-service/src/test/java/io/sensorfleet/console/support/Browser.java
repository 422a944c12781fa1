package io.sensorfleet.console.support;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** A web console session driven over HTTP as a browser would: cookies, form posts with the CSRF field. */
public final class Browser {
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    public final String session;
    public final String csrf;

    private Browser(String session, String csrf) {
        this.session = session;
        this.csrf = csrf;
    }

    /** Logs in through the login form; fails the test if that does not give a session. */
    public static Browser login(String username, String password) {
        Response form = given().get("/ui/login");
        String loginCsrf = form.getCookie("sf_login_csrf");
        Response r = given().redirects().follow(false).cookie("sf_login_csrf", loginCsrf)
                .formParam("_csrf", loginCsrf).formParam("username", username).formParam("password", password)
                .post("/ui/login");
        assertEquals(303, r.statusCode(), r.asString());
        String session = r.getCookie("sf_session");
        assertNotNull(session);
        String page = given().cookie("sf_session", session).get("/ui").asString();
        return new Browser(session, csrfIn(page));
    }

    /** Logs in as a user of this role, created through the API on first use (same as {@link Api#as}). */
    public static Browser as(String role) {
        Api.tokenFor(role);
        String username = "test-" + role.toLowerCase().replace('_', '-');
        return login(username, "password-of-" + username);
    }

    public static Browser admin() {
        return login("admin", "test-admin-password");
    }

    public static String csrfIn(String page) {
        Matcher m = CSRF.matcher(page);
        if (!m.find()) {
            throw new AssertionError("no CSRF field in the page: " + page);
        }
        return m.group(1);
    }

    /** A request with the session cookie, not following redirects. */
    public RequestSpecification get() {
        return given().redirects().follow(false).cookie("sf_session", session);
    }

    /** A form post with the session cookie and the CSRF field. */
    public RequestSpecification form() {
        return get().formParam("_csrf", csrf);
    }
}
