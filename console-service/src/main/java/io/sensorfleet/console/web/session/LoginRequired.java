package io.sensorfleet.console.web.session;

/** No valid web console session: the browser is sent to the login page. */
public class LoginRequired extends RuntimeException {
    public LoginRequired() {
        super("login required", null, false, false);
    }
}
