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
    /**
     * GET {@code ?known=<revision>&waitSeconds=<1..55>} → {@link SettingsPush} as soon as the sensor's desired
     * revision differs from {@code known}, or 204 after the wait: a long-poll, so a change reaches the
     * sensor in about a second, not at its next heartbeat.
     */
    public static final String SETTINGS = BASE + "/settings";
    /** POST {@link SettingsAck} → 204. */
    public static final String SETTINGS_ACK = BASE + "/settings/ack";
    /** GET → {@link ActivationKeyList}: the keys activation files may be signed with. */
    public static final String ACTIVATION_KEYS = BASE + "/activation/keys";
    /** POST {@link ActivationInstalled} → 204, or a problem when the console rejects the file. */
    public static final String ACTIVATION = BASE + "/activation";
    /** POST {@link AlertReport} → {@link AlertReceipt}; an alert resent with the same id is accepted once. */
    public static final String ALERTS = BASE + "/alerts";
    /** GET → the console CA's current CRL, DER ({@code application/pkix-crl}). */
    public static final String CRL = BASE + "/crl";
}
