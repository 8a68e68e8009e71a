package io.minimq.broker.security;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.minimq.broker.BrokerProperties;
import io.minimq.broker.api.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * {@code minimq.broker.rate-limit.per-client}: records per second per client, one Bucket4j token
 * bucket each (capacity = one second's worth, refilled greedily). A client is its token when
 * tokens are configured, else its remote address; buckets are independent, so one client's
 * excess never slows another. A produce is charged its record count before it is appended
 * ({@code 429} + {@code Retry-After} when over); other requests are charged one up front, and a
 * fetch the rest of its records afterwards (the client then waits that debt out).
 * Thread-safe.
 */
@Component
public class ClientRateLimiter {

    /** Idle buckets are full; past this many clients the full ones are dropped. */
    private static final int MAX_TRACKED_CLIENTS = 10_000;

    private final Long perSecond;
    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public ClientRateLimiter(BrokerProperties properties) {
        this.perSecond = properties.rateLimit().perClient();
    }

    public boolean enabled() {
        return perSecond != null;
    }

    /** Takes {@code records} tokens from the client's bucket, or throws a 429. */
    public void charge(HttpServletRequest request, long records) {
        if (perSecond == null || records <= 0) {
            return;
        }
        long cost = Math.min(records, perSecond);
        ConsumptionProbe probe = bucket(request).tryConsumeAndReturnRemaining(cost);
        if (!probe.isConsumed()) {
            long seconds = Math.max(1, Duration.ofNanos(probe.getNanosToWaitForRefill()).toSeconds()
                    + (probe.getNanosToWaitForRefill() % 1_000_000_000L == 0 ? 0 : 1));
            throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "Too many requests",
                    "this client is over minimq.broker.rate-limit.per-client (" + perSecond + " records/s)")
                    .with("retryAfterSeconds", seconds);
        }
    }

    /** Takes tokens for work already done (records a fetch returned); may leave the bucket in debt. */
    public void chargeAfterTheFact(HttpServletRequest request, long records) {
        if (perSecond == null || records <= 0) {
            return;
        }
        bucket(request).consumeIgnoringRateLimits(Math.min(records, perSecond));
    }

    private Bucket bucket(HttpServletRequest request) {
        Object client = request.getAttribute(BearerTokenFilter.CLIENT_ATTRIBUTE);
        String name = client != null ? client.toString() : request.getRemoteAddr();
        Bucket bucket = buckets.get(name);
        if (bucket == null) {
            if (buckets.size() >= MAX_TRACKED_CLIENTS) {
                dropIdleBuckets();
            }
            bucket = buckets.computeIfAbsent(name, k -> newBucket());
        }
        return bucket;
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(perSecond).refillGreedy(perSecond, Duration.ofSeconds(1)))
                .build();
    }

    private void dropIdleBuckets() {
        buckets.values().removeIf(bucket -> bucket.getAvailableTokens() >= perSecond);
    }
}
