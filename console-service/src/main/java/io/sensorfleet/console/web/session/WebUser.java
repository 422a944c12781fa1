package io.sensorfleet.console.web.session;

import io.sensorfleet.console.platform.Role;
import io.sensorfleet.console.platform.AuditContext;
import io.sensorfleet.lib.settings.SettingsCatalog;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The operator behind this web console request: resolved from the session cookie on first use,
 * checked against the current user row. Templates reach it as {@code inject:ui}.
 */
@Named("ui")
@RequestScoped
public class WebUser {
    /** Query parameter marking a page's own refresh (htmx polling): not operator activity. */
    public static final String POLL = "poll";

    @Inject
    WebSessions sessions;
    @Inject
    HttpHeaders headers;
    @Inject
    AuditContext audit;
    @Inject
    UriInfo uri;

    private WebSessions.Active active;
    private boolean resolved;
    private String sessionId;

    /** The session, or {@link LoginRequired}. Also names the actor of the audit row of this request. */
    public WebSessions.Active require() {
        if (!resolved) {
            resolved = true;
            var cookie = headers.getCookies().get(SessionCookies.SESSION);
            sessionId = cookie == null ? null : cookie.getValue();
            boolean fragment = headers.getHeaderString("HX-Request") != null;
            boolean poll = uri.getQueryParameters().containsKey(POLL);
            active = sessions.resume(sessionId, !fragment, !poll).orElse(null);
            if (active != null) {
                audit.actor(active.username());
                audit.actorRole(active.role().name());
            }
        }
        if (active == null) {
            throw new LoginRequired();
        }
        return active;
    }

    /** The session, if its role is one of these; otherwise 403 (the page never offered the action). */
    public WebSessions.Active require(Role... roles) {
        WebSessions.Active a = require();
        for (Role r : roles) {
            if (a.role() == r) {
                return a;
            }
        }
        throw new NotAllowed();
    }

    public String username() {
        return require().username();
    }

    public String role() {
        return require().role().name();
    }

    public boolean admin() {
        return require().role() == Role.ADMIN;
    }

    /** Admins and security analysts: maintenance windows, alert handling. */
    public boolean analyst() {
        return require().role() != Role.READ_ONLY;
    }

    public String flash() {
        return require().flash();
    }

    public String csrf() {
        require();
        return SessionCookies.csrfOf(sessionId);
    }

    /** The session id of this request (for logout). */
    String sessionId() {
        require();
        return sessionId;
    }

    public String zone() {
        return zoneId().getId();
    }

    public String dateFormat() {
        String f = require().dateFormat();
        return f == null ? SettingsCatalog.DATE_FORMATS.get(0) : f;
    }

    /** An instant in the operator's time zone and date format; empty for null. */
    public String time(Instant at) {
        if (at == null) {
            return "";
        }
        return DateTimeFormatter.ofPattern(dateFormat()).withZone(zoneId()).format(at);
    }

    /** A size in bytes for people: 10.0 KiB, 3.2 GiB. */
    public String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        int unit = (63 - Long.numberOfLeadingZeros(bytes)) / 10;
        return String.format(java.util.Locale.ROOT, "%.1f %siB", bytes / (double) (1L << (unit * 10)), "KMGTPE".charAt(unit - 1));
    }

    private ZoneId zoneId() {
        String z = require().timeZone();
        try {
            return z == null ? ZoneOffset.UTC : ZoneId.of(z);
        } catch (DateTimeException e) {
            return ZoneOffset.UTC;
        }
    }
}
