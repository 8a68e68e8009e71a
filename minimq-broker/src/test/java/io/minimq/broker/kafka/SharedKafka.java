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

    public static synchronized String bootstrapServers() {
        if (kafka == null) {
            EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
            broker.brokerProperties(Map.of("transaction.state.log.replication.factor", "1",
                    "transaction.state.log.min.isr", "1", "offsets.topic.replication.factor", "1",
                    "group.initial.rebalance.delay.ms", "0"));
            broker.afterPropertiesSet();
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
