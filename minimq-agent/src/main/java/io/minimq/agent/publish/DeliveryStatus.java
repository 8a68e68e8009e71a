package io.minimq.agent.publish;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether the broker is taking the agent's records: since when delivery has been failing and why.
 * A failure episode starts with the first failed attempt after a success and ends with the next
 * success. Thread-safe.
 */
final class DeliveryStatus {

    /** What a failure tells the operator to look at. */
    enum FailureKind {
        /** The broker refused the token (401/403): a configuration problem. */
        AUTHENTICATION,
        /** The broker was unreachable, overloaded or failing: it will pass. */
        UNAVAILABLE
    }

    private final Clock clock;
    private Instant failingSince;
    private FailureKind lastKind;
    private String lastError;

    DeliveryStatus(Clock clock) {
        this.clock = clock;
    }

    /** Records a failed attempt; true when it starts an episode or changes its kind (worth one log line). */
    synchronized boolean failed(FailureKind kind, String error) {
        boolean news = failingSince == null || kind != lastKind;
        if (failingSince == null) {
            failingSince = clock.instant();
        }
        lastKind = kind;
        lastError = error;
        return news;
    }

    /** Records a success; returns how long delivery had been failing, or null when it was not. */
    synchronized Duration delivered() {
        if (failingSince == null) {
            return null;
        }
        Duration failedFor = Duration.between(failingSince, clock.instant());
        failingSince = null;
        lastKind = null;
        lastError = null;
        return failedFor;
    }

    /** How long delivery has been failing, zero when it is not. */
    synchronized Duration failingFor() {
        return failingSince == null ? Duration.ZERO : Duration.between(failingSince, clock.instant());
    }

    synchronized String lastError() {
        return lastError;
    }
}
