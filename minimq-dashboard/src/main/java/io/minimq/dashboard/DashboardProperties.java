package io.minimq.dashboard;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The dashboard's settings ({@code minimq.dashboard.*}).
 *
 * @param brokerUrl where the broker's HTTP API is
 * @param token bearer token sent to the broker (role {@code consume}); empty for an open broker
 * @param staleAfter a node with no sample for this long is shown as stale
 * @param history how far back the cluster view back-fills its charts
 * @param heartbeat an SSE comment is sent this often, so proxies and browsers keep idle streams open
 * @param subscriberBuffer live records buffered per browser and topic before it counts as lagging
 * @param pollWait how long one long poll on the broker waits for new records ({@code maxWaitMs})
 * @param fetchLimit records asked for per fetch ({@code limit})
 * @param retryMin first back-off after the broker failed; doubles up to {@code retryMax}
 * @param retryMax longest back-off between two attempts to reach the broker
 */
@Validated
@ConfigurationProperties(prefix = "minimq.dashboard")
public record DashboardProperties(
        @NotNull @DefaultValue("http://localhost:5000") URI brokerUrl,
        @DefaultValue("") String token,
        @NotNull @DefaultValue("15s") Duration staleAfter,
        @NotNull @DefaultValue("5m") Duration history,
        @NotNull @DefaultValue("10s") Duration heartbeat,
        @Min(16) @Max(1_000_000) @DefaultValue("4096") int subscriberBuffer,
        @NotNull @DefaultValue("10s") Duration pollWait,
        @Min(1) @Max(10_000) @DefaultValue("1000") int fetchLimit,
        @NotNull @DefaultValue("200ms") Duration retryMin,
        @NotNull @DefaultValue("5s") Duration retryMax) {

    public DashboardProperties {
        if (pollWait.toMillis() > 30_000) {
            throw new IllegalArgumentException("minimq.dashboard.poll-wait is " + pollWait
                    + ", the broker accepts at most 30s");
        }
    }

    public boolean hasToken() {
        return token != null && !token.isBlank();
    }
}
