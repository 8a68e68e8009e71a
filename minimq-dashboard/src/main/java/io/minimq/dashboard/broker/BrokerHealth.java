package io.minimq.dashboard.broker;

import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * How the dashboard's last call to the broker went, as the {@code broker} component of
 * {@code /actuator/health}: DOWN with the reason while the broker is unreachable or refuses the
 * dashboard's token. Liveness and readiness stay UP: the pages still load and say the broker is
 * away, and restarting the dashboard would not help.
 *
 * <p>Logs one line when calls start failing for a new reason and one when they work again, so a
 * wrong {@code minimq.dashboard.token} is visible in the log without per-request noise.
 *
 * <p>Thread-safe.
 */
@Component("broker")
public final class BrokerHealth implements HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(BrokerHealth.class);

    /** The last failure, or null after a success. */
    private final AtomicReference<Failure> failure = new AtomicReference<>();

    private record Failure(int status, String reason) {
    }

    /** A broker call succeeded. */
    void succeeded() {
        Failure previous = failure.getAndSet(null);
        if (previous != null) {
            log.info("Broker calls work again (after: {})", previous.reason());
        }
    }

    /** A broker call failed with this HTTP status (502 when the broker did not answer). */
    void failed(int status, String message) {
        Failure now = new Failure(status, reason(status, message));
        Failure previous = failure.getAndSet(now);
        if (previous == null || previous.status() != status) {
            if (status == 401 || status == 403) {
                log.error("{}", now.reason());
            } else {
                log.warn("Broker calls failing: {}", now.reason());
            }
        }
    }

    private static String reason(int status, String message) {
        return switch (status) {
            case 401 -> "the broker refused the dashboard's token (401 Unauthorized): set minimq.dashboard.token "
                    + "to a token the broker accepts";
            case 403 -> "the broker refused the dashboard's token (403 Forbidden): the token needs the 'consume' role";
            default -> message;
        };
    }

    @Override
    public Health health() {
        Failure current = failure.get();
        if (current == null) {
            return Health.up().build();
        }
        return Health.down().withDetail("status", current.status()).withDetail("reason", current.reason()).build();
    }
}
