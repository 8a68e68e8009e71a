package io.minimq.broker.kafka;

import java.util.Map;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * One real Kafka broker (KRaft) for every broker test that runs on the Kafka back end, started
 * on first use and stopped when the test JVM exits.
 */
public final class SharedKafka {

    private static EmbeddedKafkaKraftBroker kafka;

    private SharedKafka() {
    }

    /**
     * Starts a new single-node Kafka with what MiniMQ needs on one node (transactions and group
     * offsets with replication factor 1). {@code port} 0 picks a free one; a fixed port lets a
     * test stop the broker and start it again at the same address.
     */
    public static EmbeddedKafkaKraftBroker start(int port) {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
        if (port > 0) {
            broker.kafkaPorts(port);
        }
        broker.brokerProperties(Map.of("transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1", "offsets.topic.replication.factor", "1",
                "group.initial.rebalance.delay.ms", "0"));
        broker.afterPropertiesSet();
        return broker;
    }

    /** A TCP port free on loopback right now. */
    public static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static synchronized String bootstrapServers() {
        if (kafka == null) {
            EmbeddedKafkaKraftBroker broker = start(0);
            Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy, "embedded-kafka-stop"));
            kafka = broker;
        }
        return kafka.getBrokersAsString();
    }

    /** Points a broker test's app at the shared Kafka: {@code minimq.broker.storage=kafka}. */
    public static void register(DynamicPropertyRegistry registry) {
        registry.add("minimq.broker.storage", () -> "kafka");
        registry.add("minimq.broker.kafka.bootstrap-servers", SharedKafka::bootstrapServers);
    }
}
