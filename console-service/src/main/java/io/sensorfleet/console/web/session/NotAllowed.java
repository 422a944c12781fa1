package io.sensorfleet.console.web.session;

/** The session's role may not do this; the page did not offer it, so the request was made by hand. */
public class NotAllowed extends RuntimeException {
    public NotAllowed() {
        super("your role does not allow this", null, false, false);
    }
}
