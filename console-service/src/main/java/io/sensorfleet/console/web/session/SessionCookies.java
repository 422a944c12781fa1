package io.sensorfleet.console.web.session;

import jakarta.ws.rs.core.NewCookie;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The cookies of the web console and the CSRF token derived from the session id.
 *
 * <p>The CSRF token is a hash of the session id: tied to the session, different for every
 * session, and checkable on any instance without a database read, while a page that shows it
 * reveals nothing of the (HttpOnly) session id it comes from.
 */
public final class SessionCookies {
    /** The session id. */
    public static final String SESSION = "sf_session";
    /** Double-submit token of the login form, before there is a session. */
    public static final String LOGIN_CSRF = "sf_login_csrf";
    /** Name of the hidden form field, and of the header htmx sends, that carry the CSRF token. */
    public static final String CSRF_FIELD = "_csrf";
    public static final String CSRF_HEADER = "X-CSRF-Token";

    private static final SecureRandom RANDOM = new SecureRandom();

    private SessionCookies() {
    }

    /** 256 random bits, URL-safe. */
    public static String randomId() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The CSRF token of a session. */
    public static String csrfOf(String sessionId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256("csrf:" + sessionId));
    }

    /** Constant-time comparison; false for nulls. */
    public static boolean same(String a, String b) {
        return a != null && b != null && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8),
                b.getBytes(StandardCharsets.UTF_8));
    }

    /** HttpOnly, SameSite=Strict, path /, Secure when configured; session cookie (no Max-Age) unless removing. */
    public static NewCookie cookie(String name, String value, boolean secure, boolean remove) {
        NewCookie.Builder b = new NewCookie.Builder(name).value(remove ? "" : value).path("/").httpOnly(true)
                .secure(secure).sameSite(NewCookie.SameSite.STRICT);
        if (remove) {
            b.maxAge(0);
        }
        return b.build();
    }
}
