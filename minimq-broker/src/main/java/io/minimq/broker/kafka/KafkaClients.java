package io.minimq.broker.kafka;

import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Builds the Kafka clients of one broker replica from its {@link KafkaStorageConfig}. Thread-safe. */
final class KafkaClients {

    /** Producer batches large enough that one produce request normally fits one batch (contiguous offsets). */
    static final int BATCH_BYTES = 1024 * 1024;
    static final int MAX_REQUEST_BYTES = 16 * 1024 * 1024;

    private final KafkaStorageConfig config;
    private final AtomicInteger sequence = new AtomicInteger();

    KafkaClients(KafkaStorageConfig config) {
        this.config = config;
    }

    Admin admin() {
        Properties props = base("admin");
        int timeout = timeoutMs();
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
        return Admin.create(props);
    }

    /** A shared, idempotent (not transactional) producer for plain appends. */
    KafkaProducer<byte[], byte[]> plainProducer() {
        return new KafkaProducer<>(producerProps("producer"));
    }

    /** A transactional producer for one MiniMQ producer id; its transactional id is stable across replicas. */
    KafkaProducer<byte[], byte[]> transactionalProducer(String transactionalId) {
        Properties props = producerProps("tx");
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Math.max(timeoutMs() * 3, 30_000));
        return new KafkaProducer<>(props);
    }

    /** A consumer that reads committed data only and never joins a group (partitions are assigned). */
    KafkaConsumer<byte[], byte[]> consumer(String role) {
        Properties props = base(role);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs());
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs());
        return new KafkaConsumer<>(props);
    }

    private Properties producerProps(String role) {
        Properties props = base(role);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, BATCH_BYTES);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_BYTES);
        int timeout = timeoutMs();
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(timeout - 1, 1));
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
        return props;
    }

    private Properties base(String role) {
        Properties props = new Properties();
        props.putAll(config.properties());
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(CommonClientConfigs.CLIENT_ID_CONFIG, config.clientId() + "-" + role + "-" + sequence.incrementAndGet());
        props.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        return props;
    }

    int timeoutMs() {
        return (int) Math.min(Integer.MAX_VALUE, config.requestTimeout().toMillis());
    }
}
