package io.sensorfleet.agent.alerts;

import java.time.Duration;

/**
 * What one {@link AlertLoop#runOnce()} did.
 *
 * @param sent      alerts the console accepted (duplicates included)
 * @param rejected  alerts the console refused for good, moved to {@code outbox/rejected/}
 * @param remaining alerts still queued
 * @param nextDelay how long to wait before the next step
 * @param error     why sending stopped, or null
 */
public record AlertOutcome(int sent, int rejected, int remaining, Duration nextDelay, String error) {
}
