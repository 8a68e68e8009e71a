package io.minimq.agent.publish;

import java.time.Duration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Readiness of the agent: DOWN once delivery to the broker has failed for {@code notReadyAfter}
 * (the agent keeps running and buffering: liveness stays UP). Part of the readiness group as
 * {@code delivery}.
 */
class DeliveryHealthIndicator implements HealthIndicator {

    private final DeliveryStatus status;
    private final OutboundBuffer buffer;
    private final Duration notReadyAfter;

    DeliveryHealthIndicator(DeliveryStatus status, OutboundBuffer buffer, Duration notReadyAfter) {
        this.status = status;
        this.buffer = buffer;
        this.notReadyAfter = notReadyAfter;
    }

    @Override
    public Health health() {
        Duration failingFor = status.failingFor();
        Health.Builder health = failingFor.compareTo(notReadyAfter) >= 0 ? Health.down() : Health.up();
        health.withDetail("bufferedRecords", buffer.size());
        if (!failingFor.isZero()) {
            health.withDetail("failingForSeconds", failingFor.toSeconds()).withDetail("lastError", status.lastError());
        }
        return health.build();
    }
}
