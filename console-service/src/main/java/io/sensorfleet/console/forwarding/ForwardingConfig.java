package io.sensorfleet.console.forwarding;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Forwarding of notifications to SIEMs: the outbox workers, retries and transports. */
@ConfigMapping(prefix = "sensorfleet.forwarding")
public interface ForwardingConfig {
    /**
     * Whether this instance runs an outbox worker. Every instance may: rows are claimed with
     * FOR UPDATE SKIP LOCKED, so each message is sent by one instance at a time.
     */
    @WithDefault("true")
    boolean workerEnabled();

    /** How often an idle worker looks for due messages. */
    @WithDefault("500ms")
    Duration pollInterval();

    /**
     * Most messages one worker claims in one statement. A worker turns at most every 50 ms, so this
     * bounds one instance near 20 claims/s × this many messages. On a busy machine a turn (claim,
     * results written) takes far longer: with 1,000 the forwarding benchmark's instance stayed near
     * 4,500–4,850 messages/s, about one turn every 200 ms (docs/benchmarks.md).
     */
    @WithDefault("5000")
    int batchSize();

    /**
     * Most messages one instance has under way at once. A webhook answering in 500 ms at 5,000
     * messages/s holds about 2,500, plus what waits for a claim turn to record it and for a
     * receiver's slow answers: 10,000 leaves room for four times that. One request, hence one
     * connection, per message unless the action batches ({@code batchMaxEvents}).
     */
    @WithDefault("10000")
    int maxInFlight();

    /**
     * How long a claimed message is reserved for the instance that claimed it. If that instance
     * dies mid-delivery, another sends the message after this time (at-least-once). Must exceed
     * connect timeout plus request timeout.
     */
    @WithDefault("60s")
    Duration lease();

    /** Delay before the first retry of a failed delivery; doubles with each further failure. */
    @WithDefault("1s")
    Duration retryBase();

    /** Longest delay between two attempts. */
    @WithDefault("5m")
    Duration retryCap();

    /** Attempts after which a message is parked (dead letter) until replayed through the API. */
    @WithDefault("12")
    int maxAttempts();

    /** Time allowed to open a TCP, TLS or HTTP connection to a receiver. */
    @WithDefault("5s")
    Duration connectTimeout();

    /** Time allowed for a webhook to answer. */
    @WithDefault("10s")
    Duration requestTimeout();

    /** Delivered messages are removed from the outbox after this time; their notifications stay. */
    @WithDefault("7d")
    Duration retention();
}
