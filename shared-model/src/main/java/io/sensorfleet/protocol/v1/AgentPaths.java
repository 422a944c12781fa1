package io.sensorfleet.protocol.v1;

/** Paths of the agent plane (HTTPS, default port 9443). All but {@link #ENROLL} and {@link #CRL} need the sensor's client certificate. */
public final class AgentPaths {
    private AgentPaths() {
    }

    public static final String BASE = "/agent/v1";
    /** POST {@link EnrollRequest} → {@link EnrollResponse}; authenticated by the one-time token. */
    public static final String ENROLL = BASE + "/enroll";
    /** POST {@link HeartbeatRequest} → {@link HeartbeatResponse}. */
    public static final String HEARTBEAT = BASE + "/heartbeat";
    /** POST {@link RenewRequest} → {@link EnrollResponse} with a new certificate for the same sensor. */
    public static final String RENEW = BASE + "/renew";
    /** POST {@link AlertReport} → {@link AlertReceipt}; an alert resent with the same id is accepted once. */
    public static final String ALERTS = BASE + "/alerts";
    /** GET → the console CA's current CRL, DER ({@code application/pkix-crl}). */
    public static final String CRL = BASE + "/crl";
}
