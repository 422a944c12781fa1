package io.sensorfleet.protocol.v1.enrollment;

/**
 * Sent by the agent to join the console. Sent once per connection string.
 *
 * @param token        the one-time token from the connection string; required
 * @param csrPem       PKCS#10 request in PEM carrying the sensor's new public key (EC P-256) and
 *                     signed with its private key; subject and extensions in it are ignored — the
 *                     console decides them; required
 * @param hostname     the appliance's host name, used as the initial sensor name; optional
 * @param agentVersion software version of the sensor; required
 */
public record EnrollRequest(String token, String csrPem, String hostname, String agentVersion) {
}
