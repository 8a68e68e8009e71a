package io.minimq.broker.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.minimq.broker.storage.NewRecord;
import io.minimq.broker.storage.ProducerSeq;
import io.minimq.broker.storage.StorageUnavailableException;
import io.minimq.broker.storage.StoredRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import kafka.server.BrokerServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** The Kafka cluster goes away and comes back: the storage says so, fails fast, and recovers with nothing lost. */
class KafkaOutageTests {

    private EmbeddedKafkaKraftBroker kafka;
    private KafkaStorage storage;

    @AfterEach
    void stop() {
        if (storage != null) {
            storage.close();
        }
        if (kafka != null) {
            kafka.destroy();
        }
    }

    private static List<NewRecord> batch(String prefix, int n) {
        List<NewRecord> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            records.add(new NewRecord(prefix + i, null, ("\"" + prefix + i + "\"").getBytes(StandardCharsets.UTF_8)));
        }
        return records;
    }

    @Test
    void produceIsRefusedWhileKafkaIsDownAndNothingAcknowledgedIsLost() throws Exception {
        kafka = SharedKafka.start(SharedKafka.freePort());
        storage = new KafkaStorage(KafkaStorageConfig.of(kafka.getBrokersAsString())
                .withRequestTimeout(Duration.ofSeconds(3)).withClientId("outage"));
        await().atMost(Duration.ofSeconds(60)).until(storage::isReady);

        storage.append("outage", batch("before-", 5), null, true);
        storage.append("outage", batch("before-idem-", 2), new ProducerSeq("agent-1", 1), true);

        BrokerServer broker = kafka.getCluster().brokers().values().iterator().next();
        broker.shutdown();
        broker.awaitShutdown();
        await().atMost(Duration.ofSeconds(30)).until(() -> !storage.isReady());
        long start = System.nanoTime();
        assertThatThrownBy(() -> storage.append("outage", batch("during-", 1), null, true))
                .isInstanceOf(StorageUnavailableException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));

        broker.startup();
        await().atMost(Duration.ofSeconds(60)).until(storage::isReady);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> !storage.append("outage", batch("after-", 1), null, true).duplicate());
        // The idempotent retry of a request acknowledged before the outage is still recognised.
        assertThat(storage.append("outage", batch("before-idem-", 2), new ProducerSeq("agent-1", 1), true).duplicate())
                .isTrue();

        List<String> keys = storage.read("outage", 0, 100, 1 << 20).records().stream().map(StoredRecord::key)
                .toList();
        assertThat(keys).startsWith("before-0", "before-1", "before-2", "before-3", "before-4", "before-idem-0",
                "before-idem-1").contains("after-0").doesNotContain("during-0");
    }
}
