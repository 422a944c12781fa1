package io.sensorfleet.console.platform;

import jakarta.enterprise.context.RequestScoped;

/**
 * What a request's handler knows that the audit filter cannot see: who tried when nobody is
 * authenticated yet (a login) or who acts through a web console session, which object was
 * changed, and a detail worth keeping.
 */
@RequestScoped
public class AuditContext {
    private String actor;
    private String target;
    private String detail;
    private String actorRole;

    public void actor(String actor) {
        this.actor = actor;
    }

    /** The actor's role when it is not in the security context (a web console session). */
    public void actorRole(String role) {
        this.actorRole = role;
    }

    public void target(Object target) {
        this.target = target == null ? null : target.toString();
    }

    public void detail(String detail) {
        this.detail = detail;
    }

    public String actor() {
        return actor;
    }

    public String actorRole() {
        return actorRole;
    }

    public String target() {
        return target;
    }

    public String detail() {
        return detail;
    }
}
