package io.minimq.broker;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Every {@code minimq.broker.*} setting (docs/SYSTEM.md and docs/HTTP-API.md), validated at start:
 * a bad value stops the broker with a message naming the key instead of failing later.
 *
 * <p>Durations accept {@code 1s}, {@code 7d} or plain milliseconds; sizes accept {@code 64MB}
 * or plain bytes. Each key can also be set as an environment variable by Spring's relaxed
 * binding, e.g. {@code MINIMQ_BROKER_DATA_DIR} or {@code MINIMQ_BROKER_SECURITY_TOKENS_0_TOKEN}.
 */
@Validated
@ConfigurationProperties(prefix = "minimq.broker")
public record BrokerProperties(
        @NotNull @DefaultValue("./data") Path dataDir,
        @NotNull @DefaultValue("file") StorageType storage,
        @NotNull @DefaultValue("64MB") DataSize segmentBytes,
        @NotNull @DurationUnit(ChronoUnit.MILLIS) @DefaultValue("7d") Duration segmentMs,
        @NotNull @DurationUnit(ChronoUnit.MILLIS) @DefaultValue("7d") Duration retentionMs,
        @NotNull @DefaultValue("-1") DataSize retentionBytes,
        @NotNull @DefaultValue("interval") FlushPolicy flush,
        @NotNull @DurationUnit(ChronoUnit.MILLIS) @DefaultValue("1s") Duration flushInterval,
        @NotNull @DefaultValue("1MB") DataSize maxRecordBytes,
        @NotNull @DefaultValue("8MB") DataSize maxRequestBytes,
        @Min(1) @Max(1_000_000) @DefaultValue("10000") int maxRecordsPerRequest,
        @DefaultValue("true") boolean autoCreateTopics,
        @Valid @NotNull @DefaultValue Security security,
        @Valid @NotNull @DefaultValue RateLimit rateLimit,
        @Valid @NotNull @DefaultValue Kafka kafka) {

    /** Which back end holds the topics: the embedded file log, or an Apache Kafka cluster. */
    public enum StorageType { FILE, KAFKA }

    /** When appended data is fsynced (HTTP-API.md, "Durability"). */
    public enum FlushPolicy { INTERVAL, ALWAYS }

    /** What a bearer token may do. {@code admin} includes {@code produce} and {@code consume}. */
    public enum Role { PRODUCE, CONSUME, ADMIN }

    /** One accepted bearer token and its roles. */
    public record TokenGrant(@NotBlank String token, @NotNull List<Role> roles) {
    }

    /**
     * Bearer tokens; the broker is open (and warns at start) when there is none.
     * {@code protectMetrics} puts {@code /actuator/prometheus} behind the {@code admin} role.
     */
    public record Security(@NotNull @DefaultValue List<@Valid TokenGrant> tokens,
            @DefaultValue("false") boolean protectMetrics) {

        public boolean open() {
            return tokens.isEmpty();
        }
    }

    /** Records per second each client (token, else remote address) may send or read; null = off. */
    public record RateLimit(@Positive Long perClient) {

        public boolean enabled() {
            return perClient != null;
        }
    }

    /**
     * Settings of the Kafka back end ({@code minimq.broker.storage=kafka}), unused by the file log.
     * {@code properties} are passed to every Kafka client (e.g. {@code security.protocol}).
     */
    public record Kafka(String bootstrapServers, @NotNull @DefaultValue Map<String, String> properties,
            @Min(1) @Max(32) @DefaultValue("1") short replicationFactor,
            @NotNull @DurationUnit(ChronoUnit.MILLIS) @DefaultValue("10s") Duration requestTimeout) {
    }

    public BrokerProperties {
        if (segmentBytes != null && segmentBytes.toBytes() <= 0) {
            throw new IllegalArgumentException("minimq.broker.segment-bytes must be positive, got " + segmentBytes);
        }
        if (maxRecordBytes != null && maxRequestBytes != null && maxRecordBytes.toBytes() > maxRequestBytes.toBytes()) {
            throw new IllegalArgumentException("minimq.broker.max-record-bytes (" + maxRecordBytes
                    + ") must not exceed minimq.broker.max-request-bytes (" + maxRequestBytes + ")");
        }
        if (maxRequestBytes != null && maxRequestBytes.toBytes() > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("minimq.broker.max-request-bytes must be below 2 GiB, got " + maxRequestBytes);
        }
    }

    /** {@code max-request-bytes} as an int (validated to fit). */
    public int maxRequestBytesInt() {
        return (int) maxRequestBytes.toBytes();
    }

    /** {@code max-record-bytes} as an int (validated to fit). */
    public int maxRecordBytesInt() {
        return (int) maxRecordBytes.toBytes();
    }
}
