/**
 * Version 1 of the agent ⇄ console protocol. Changes here are additive only; a breaking change
 * is a new package {@code v2}. Records carry no framework code: each side serialises them as JSON
 * with its own mapper (ISO-8601 instants, unknown properties ignored).
 */
package io.sensorfleet.protocol.v1;
