package io.minimq.agent;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The agent's settings, {@code minimq.agent.*}.
 *
 * @param brokerUrl where samples go
 * @param token bearer token sent to the broker, none when blank
 * @param nodeName the key of every record; blank means env {@code NODE_NAME}, else the host name
 * @param hostProc a host {@code /proc} mounted into a container (host mode), or null
 * @param hostSys a host {@code /sys} mounted into a container, or null
 * @param hostRoot the host's root filesystem mounted into a container, for disk usage, or null
 * @param interval how often each collector runs
 * @param enabled which collectors run
 * @param bufferCapacity samples kept while the broker does not accept them; the oldest go first
 * @param maxBatch most records in one produce request when catching up after an outage
 * @param retryMinBackoff first delay before resending a batch
 * @param retryMaxBackoff longest delay between resends
 * @param notReadyAfter readiness turns DOWN once delivery has failed for this long
 *
 * <p>Checked here rather than with Bean Validation: Hibernate Validator would load some 550
 * classes into a process whose footprint is a feature.
 */
@ConfigurationProperties(prefix = "minimq.agent")
public record AgentProperties(
        @DefaultValue("http://localhost:5000") URI brokerUrl,
        String token,
        String nodeName,
        Path hostProc,
        Path hostSys,
        Path hostRoot,
        @DefaultValue Intervals interval,
        @DefaultValue Collectors enabled,
        @DefaultValue("10000") int bufferCapacity,
        @DefaultValue("500") int maxBatch,
        @DefaultValue("200ms") Duration retryMinBackoff,
        @DefaultValue("10s") Duration retryMaxBackoff,
        @DefaultValue("30s") Duration notReadyAfter) {

    public AgentProperties {
        require(brokerUrl != null && brokerUrl.getScheme() != null && brokerUrl.getHost() != null,
                "minimq.agent.broker-url must be an absolute URL like http://broker:5000: " + brokerUrl);
        require(bufferCapacity >= 1, "minimq.agent.buffer-capacity must be at least 1: " + bufferCapacity);
        require(maxBatch >= 1, "minimq.agent.max-batch must be at least 1: " + maxBatch);
        require(positive(retryMinBackoff) && positive(retryMaxBackoff) && positive(notReadyAfter),
                "minimq.agent retry-min-backoff, retry-max-backoff and not-ready-after must be positive");
        require(positive(interval.cpu()) && positive(interval.mem()) && positive(interval.disk())
                && positive(interval.net()) && positive(interval.load()),
                "every minimq.agent.interval.* must be positive: " + interval);
    }

    /** {@code minimq.agent.interval.*}: the period of each collector. */
    public record Intervals(
            @DefaultValue("1s") Duration cpu,
            @DefaultValue("5s") Duration mem,
            @DefaultValue("5s") Duration disk,
            @DefaultValue("5s") Duration net,
            @DefaultValue("5s") Duration load) {
    }

    /** {@code minimq.agent.enabled.*}: switch single collectors off. */
    public record Collectors(
            @DefaultValue("true") boolean cpu,
            @DefaultValue("true") boolean mem,
            @DefaultValue("true") boolean disk,
            @DefaultValue("true") boolean net,
            @DefaultValue("true") boolean load) {
    }

    private static boolean positive(Duration duration) {
        return duration != null && !duration.isNegative() && !duration.isZero();
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** True when a token is configured. */
    public boolean hasToken() {
        return token != null && !token.isBlank();
    }
}
