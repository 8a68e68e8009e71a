package io.minimq.agent;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

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
 */
@Validated
@ConfigurationProperties(prefix = "minimq.agent")
public record AgentProperties(
        @DefaultValue("http://localhost:5000") @NotNull URI brokerUrl,
        String token,
        String nodeName,
        Path hostProc,
        Path hostSys,
        Path hostRoot,
        @DefaultValue @Valid Intervals interval,
        @DefaultValue Collectors enabled,
        @DefaultValue("10000") @Min(1) int bufferCapacity,
        @DefaultValue("500") @Min(1) int maxBatch,
        @DefaultValue("200ms") @NotNull Duration retryMinBackoff,
        @DefaultValue("10s") @NotNull Duration retryMaxBackoff,
        @DefaultValue("30s") @NotNull Duration notReadyAfter) {

    /** {@code minimq.agent.interval.*}: the period of each collector. */
    public record Intervals(
            @DefaultValue("1s") @NotNull Duration cpu,
            @DefaultValue("5s") @NotNull Duration mem,
            @DefaultValue("5s") @NotNull Duration disk,
            @DefaultValue("5s") @NotNull Duration net,
            @DefaultValue("5s") @NotNull Duration load) {
    }

    /** {@code minimq.agent.enabled.*}: switch single collectors off. */
    public record Collectors(
            @DefaultValue("true") boolean cpu,
            @DefaultValue("true") boolean mem,
            @DefaultValue("true") boolean disk,
            @DefaultValue("true") boolean net,
            @DefaultValue("true") boolean load) {
    }

    /** True when a token is configured. */
    public boolean hasToken() {
        return token != null && !token.isBlank();
    }
}
