/**
 * What every feature shares and that belongs to none: operator roles, the audit context, the
 * clock, key pairs and the problem table. It imports no feature package (ArchitectureTest checks),
 * so features can depend on it without tying themselves to each other.
 */
package io.sensorfleet.console.platform;
