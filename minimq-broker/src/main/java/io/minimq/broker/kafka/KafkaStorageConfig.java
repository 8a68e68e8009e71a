package io.minimq.broker.kafka;

import java.time.Duration;
import java.util.Map;

/**
 * Settings of the Kafka back end.
 *
 * @param bootstrapServers   Kafka's bootstrap servers, e.g. {@code kafka:9092}
 * @param properties         extra client properties passed to every Kafka client (security, TLS, ...)
 * @param replicationFactor  replication factor of the topics this back end creates
 * @param requestTimeout     the longest a storage call waits for Kafka before it reports the
 *                           cluster unavailable
 * @param defaultRetentionMs    retention of new topics, or null for Kafka's default
 * @param defaultRetentionBytes retention size of new topics (-1 = unlimited), or null
 * @param defaultSegmentBytes   segment size of new topics, or null
 * @param consumerPoolSize   how many Kafka consumers are shared by concurrent fetches
 * @param waitPollInterval   how often end offsets are polled for waiting long-poll requests
 *                           (appends through this replica wake waiters at once)
 * @param maxIdempotentProducers how many transactional producers (one per MiniMQ producer id)
 *                           this replica keeps open; the least recently used is closed beyond it
 * @param clientId           prefix of the Kafka client ids of this replica
 */
public record KafkaStorageConfig(String bootstrapServers, Map<String, String> properties, short replicationFactor,
        Duration requestTimeout, Long defaultRetentionMs, Long defaultRetentionBytes, Long defaultSegmentBytes,
        int consumerPoolSize, Duration waitPollInterval, int maxIdempotentProducers, String clientId) {

    public KafkaStorageConfig {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("minimq.broker.kafka.bootstrap-servers must be set");
        }
        properties = properties == null ? Map.of() : Map.copyOf(properties);
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replicationFactor must be at least 1, was " + replicationFactor);
        }
        requestTimeout = requestTimeout == null ? Duration.ofSeconds(10) : requestTimeout;
        consumerPoolSize = consumerPoolSize <= 0 ? 4 : consumerPoolSize;
        waitPollInterval = waitPollInterval == null ? Duration.ofMillis(50) : waitPollInterval;
        maxIdempotentProducers = maxIdempotentProducers <= 0 ? 64 : maxIdempotentProducers;
        clientId = clientId == null || clientId.isBlank() ? "minimq" : clientId;
    }

    /** A config with defaults for everything but the servers. */
    public static KafkaStorageConfig of(String bootstrapServers) {
        return new KafkaStorageConfig(bootstrapServers, Map.of(), (short) 1, null, null, null, null, 0, null, 0, null);
    }

    public KafkaStorageConfig withRequestTimeout(Duration timeout) {
        return new KafkaStorageConfig(bootstrapServers, properties, replicationFactor, timeout, defaultRetentionMs,
                defaultRetentionBytes, defaultSegmentBytes, consumerPoolSize, waitPollInterval,
                maxIdempotentProducers, clientId);
    }

    public KafkaStorageConfig withClientId(String id) {
        return new KafkaStorageConfig(bootstrapServers, properties, replicationFactor, requestTimeout,
                defaultRetentionMs, defaultRetentionBytes, defaultSegmentBytes, consumerPoolSize, waitPollInterval,
                maxIdempotentProducers, id);
    }
}
