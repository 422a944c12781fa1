package io.sensorfleet.protocol.v1.enrollment;

/**
 * Sent by an enrolled agent over mTLS to get a new certificate before the current one expires.
 *
 * @param csrPem PKCS#10 request in PEM with the sensor's (new) public key; required
 */
public record RenewRequest(String csrPem) {
}
