package io.sensorfleet.protocol.v1.enrollment;

import java.time.Instant;
import java.util.List;

/**
 * Sent by the console on enrollment and renewal.
 *
 * @param sensorId                 the sensor's id (also the CN of its certificate); always present
 * @param sensorName               name the console knows the sensor by; always present
 * @param certificatePem           the sensor's certificate, PEM; always present
 * @param caCertificatePem         the console CA certificate, PEM, to trust from now on; always present
 * @param certificateNotAfter      end of the certificate's validity; always present
 * @param heartbeatIntervalSeconds the interval the agent should report at; always present
 * @param addresses                agent-plane addresses of the console, {@code host:port}; always present
 */
public record EnrollResponse(String sensorId, String sensorName, String certificatePem, String caCertificatePem,
                             Instant certificateNotAfter, int heartbeatIntervalSeconds, List<String> addresses) {
}
