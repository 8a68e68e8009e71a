package io.minimq.broker.system;

import io.minimq.broker.BrokerProperties;
import io.minimq.broker.kafka.KafkaStorage;
import io.minimq.broker.kafka.KafkaStorageConfig;
import io.minimq.broker.log.FlushPolicy;
import io.minimq.broker.log.LogConfig;
import io.minimq.broker.log.LogListener;
import io.minimq.broker.log.LogStorage;
import io.minimq.broker.storage.Storage;
import io.minimq.broker.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Creates the storage back end named by {@code minimq.broker.storage}. Spring closes it (flush
 * and release) when the context shuts down, which happens after the web server's graceful
 * shutdown has let in-flight requests finish.
 */
@Configuration(proxyBeanMethods = false)
class StorageConfiguration {

    private static final Logger log = LoggerFactory.getLogger(StorageConfiguration.class);

    @Bean(destroyMethod = "close")
    Storage storage(BrokerProperties properties, BrokerMetrics metrics) {
        return switch (properties.storage()) {
            case FILE -> new LogStorage(logConfig(properties), new MetricsLogListener(metrics));
            case KAFKA -> new KafkaStorage(kafkaConfig(properties));
        };
    }

    /**
     * Once the storage is open, every existing topic gets its {@code minimq_topic_end_offset}
     * gauge and every stored group offset its {@code minimq_group_lag} gauge, so that lag shows
     * from the start, not only for groups that commit again after a restart.
     */
    @Bean
    SmartInitializingSingleton topicGauges(Storage storage, BrokerMetrics metrics) {
        return () -> {
            try {
                storage.topics().forEach(topic -> metrics.topicSeen(topic.name(), topic.endOffset()));
                for (String group : storage.groups()) {
                    storage.committedOffsets(group).forEach((topic, offset) -> metrics.committed(group, topic, offset));
                }
            } catch (StorageException e) {
                // a Kafka cluster still out of reach at start: the gauges come as topics are used
                log.info("Gauges of existing topics and groups skipped at start: {}", e.getMessage());
            }
        };
    }

    static LogConfig logConfig(BrokerProperties p) {
        FlushPolicy flush = p.flush() == BrokerProperties.FlushPolicy.ALWAYS ? FlushPolicy.ALWAYS : FlushPolicy.INTERVAL;
        return LogConfig.defaults(p.dataDir())
                .withSegmentBytes(p.segmentBytes().toBytes())
                .withSegmentMs(p.segmentMs().toMillis())
                .withRetention(p.retentionMs().toMillis(), p.retentionBytes().toBytes())
                .withFlush(flush, p.flushInterval());
    }

    static KafkaStorageConfig kafkaConfig(BrokerProperties p) {
        BrokerProperties.Kafka kafka = p.kafka();
        if (kafka.bootstrapServers() == null || kafka.bootstrapServers().isBlank()) {
            throw new IllegalStateException(
                    "minimq.broker.storage=kafka needs minimq.broker.kafka.bootstrap-servers (e.g. kafka:9092)");
        }
        long retentionBytes = p.retentionBytes().toBytes();
        return new KafkaStorageConfig(kafka.bootstrapServers(), kafka.properties(), kafka.replicationFactor(),
                kafka.requestTimeout(), p.retentionMs().toMillis(), retentionBytes, p.segmentBytes().toBytes(), 0,
                null, 0, "minimq-" + hostName());
    }

    private static String hostName() {
        String name = System.getenv("HOSTNAME");
        return name == null || name.isBlank() ? "broker" : name;
    }

    /** Publishes the log's fsync times as {@code minimq_flush_seconds}. */
    private record MetricsLogListener(BrokerMetrics metrics) implements LogListener {

        @Override
        public void onFlush(String topic, long nanos) {
            metrics.flushed(nanos);
        }
    }
}
