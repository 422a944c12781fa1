package io.sensorfleet.protocol.v1.alerts;

/**
 * The console's answer to an {@link AlertReport}: the agent may forget the alert.
 *
 * @param alertId   the id of the alert accepted
 * @param duplicate true when the console already had this alert from this sensor (a resend)
 */
public record AlertReceipt(String alertId, boolean duplicate) {
}
