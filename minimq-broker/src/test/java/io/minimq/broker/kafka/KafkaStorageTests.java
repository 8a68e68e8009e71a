package io.minimq.broker.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.minimq.broker.storage.AppendResult;
import io.minimq.broker.storage.NewRecord;
import io.minimq.broker.storage.OffsetOutOfRangeException;
import io.minimq.broker.storage.ProducerSeq;
import io.minimq.broker.storage.ReadResult;
import io.minimq.broker.storage.SequenceConflictException;
import io.minimq.broker.storage.StorageUnavailableException;
import io.minimq.broker.storage.StoredRecord;
import io.minimq.broker.storage.TopicNotFoundException;
import io.minimq.broker.storage.TopicSettings;
import io.minimq.broker.storage.TopicStats;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The Kafka back end against a real Kafka broker (KRaft) running in the test JVM. Two
 * {@link KafkaStorage} instances play two broker replicas behind one Service.
 */
class KafkaStorageTests {

    private static final AtomicInteger TOPICS = new AtomicInteger();
    private static EmbeddedKafkaKraftBroker kafka;
    private static KafkaStorage replicaA;
    private static KafkaStorage replicaB;

    @BeforeAll
    static void startKafka() {
        kafka = SharedKafka.start(0);
        replicaA = start("a");
        replicaB = start("b");
    }

    private static KafkaStorage start(String id) {
        KafkaStorage storage = new KafkaStorage(KafkaStorageConfig.of(kafka.getBrokersAsString())
                .withRequestTimeout(Duration.ofSeconds(15)).withClientId("test-" + id));
        await().atMost(Duration.ofSeconds(60)).until(storage::isReady);
        return storage;
    }

    @AfterAll
    static void stopKafka() {
        if (replicaA != null) {
            replicaA.close();
        }
        if (replicaB != null) {
            replicaB.close();
        }
        if (kafka != null) {
            kafka.destroy();
        }
    }

    private static String newTopic() {
        return "t" + TOPICS.incrementAndGet();
    }

    private static NewRecord record(String key, String json) {
        return new NewRecord(key, Map.of("h", "v-" + key), json.getBytes(StandardCharsets.UTF_8));
    }

    private static List<NewRecord> batch(int n, String prefix) {
        List<NewRecord> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            records.add(record(prefix + i, "{\"n\":" + i + "}"));
        }
        return records;
    }

    private static String text(StoredRecord r) {
        return new String(r.value(), StandardCharsets.UTF_8);
    }

    @Test
    void appendThenReadKeepsKeyHeadersValueAndSetsTheBrokerTimestamp() {
        String topic = newTopic();
        long before = System.currentTimeMillis();
        AppendResult first = replicaA.append(topic, batch(3, "k"), null, true);
        AppendResult second = replicaA.append(topic, List.of(record(null, "[1,\"x\",null]")), null, false);
        assertThat(first.baseOffset()).isZero();
        assertThat(first.count()).isEqualTo(3);
        assertThat(second.baseOffset()).isEqualTo(3);

        ReadResult read = replicaB.read(topic, 0, 100, 1 << 20);
        assertThat(read.records()).extracting(StoredRecord::offset).containsExactly(0L, 1L, 2L, 3L);
        assertThat(read.records()).extracting(StoredRecord::key).containsExactly("k0", "k1", "k2", null);
        assertThat(read.records().get(1).headers()).containsEntry("h", "v-k1");
        assertThat(text(read.records().get(2))).isEqualTo("{\"n\":2}");
        assertThat(text(read.records().get(3))).isEqualTo("[1,\"x\",null]");
        assertThat(read.records()).allSatisfy(r -> assertThat(r.timestamp())
                .isBetween(before - 1000, System.currentTimeMillis() + 1000));
        assertThat(read.nextOffset()).isEqualTo(4);
        assertThat(read.startOffset()).isZero();
        assertThat(read.endOffset()).isEqualTo(4);

        ReadResult limited = replicaA.read(topic, 1, 2, 1 << 20);
        assertThat(limited.records()).extracting(StoredRecord::offset).containsExactly(1L, 2L);
        assertThat(limited.nextOffset()).isEqualTo(3);
        ReadResult atEnd = replicaA.read(topic, 4, 10, 1 << 20);
        assertThat(atEnd.records()).isEmpty();
        assertThat(atEnd.nextOffset()).isEqualTo(4);
    }

    @Test
    void outOfRangeAndUnknownTopicsAreReported() {
        String topic = newTopic();
        replicaA.append(topic, batch(2, "k"), null, true);
        assertThatThrownBy(() -> replicaA.read(topic, 3, 10, 1000)).isInstanceOf(OffsetOutOfRangeException.class)
                .satisfies(e -> assertThat(((OffsetOutOfRangeException) e).endOffset()).isEqualTo(2));
        assertThatThrownBy(() -> replicaA.read(topic, -1, 10, 1000)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThatThrownBy(() -> replicaA.read("nope-" + topic, 0, 10, 1000))
                .isInstanceOf(TopicNotFoundException.class);
        assertThatThrownBy(() -> replicaA.append("nope-" + topic, batch(1, "k"), null, false))
                .isInstanceOf(TopicNotFoundException.class);
        assertThat(replicaA.topic("nope-" + topic)).isEmpty();
    }

    @Test
    void offsetForTimeFindsTheFirstRecordAtOrAfterIt() throws Exception {
        String topic = newTopic();
        replicaA.append(topic, batch(2, "early"), null, true);
        Thread.sleep(50);
        long middle = System.currentTimeMillis();
        Thread.sleep(50);
        replicaA.append(topic, batch(2, "late"), null, true);
        assertThat(replicaB.offsetForTime(topic, 0)).isZero();
        assertThat(replicaB.offsetForTime(topic, middle)).isEqualTo(2);
        assertThat(replicaB.offsetForTime(topic, System.currentTimeMillis() + 60_000)).isEqualTo(4);
    }

    @Test
    void longPollWakesOnAnAppendThroughAnotherReplicaAndTimesOutEmpty() throws Exception {
        String topic = newTopic();
        replicaA.append(topic, batch(1, "k"), null, true);
        CompletableFuture<Boolean> nothing = replicaB.awaitData(topic, 1, Duration.ofMillis(300));
        assertThat(nothing.get(5, TimeUnit.SECONDS)).isFalse();

        CompletableFuture<Boolean> waiting = replicaB.awaitData(topic, 1, Duration.ofSeconds(20));
        Thread.sleep(200);
        assertThat(waiting).isNotDone();
        replicaA.append(topic, batch(1, "k"), null, false);
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(replicaB.awaitData(topic, 0, Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void topicsAreCreatedConfiguredListedAndDeleted() {
        String topic = newTopic();
        assertThat(replicaA.createOrUpdateTopic(topic, new TopicSettings(3_600_000L, null, null))).isTrue();
        assertThat(replicaA.createOrUpdateTopic(topic, new TopicSettings(null, 1_000_000L, 2_000_000L))).isFalse();
        replicaA.append(topic, batch(5, "k"), null, false);
        TopicStats stats = replicaB.topic(topic).orElseThrow();
        assertThat(stats.endOffset()).isEqualTo(5);
        assertThat(stats.settings()).isEqualTo(new TopicSettings(3_600_000L, 1_000_000L, 2_000_000L));
        assertThat(replicaB.topics()).extracting(TopicStats::name).contains(topic)
                .noneMatch(name -> name.startsWith("__"));

        assertThat(replicaB.deleteTopic(topic)).isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> replicaA.topic(topic).isEmpty());
        assertThat(replicaB.deleteTopic(topic)).isFalse();
    }

    @Test
    void groupOffsetsAreKafkaConsumerGroupOffsets() {
        String topic = newTopic();
        replicaA.append(topic, batch(10, "k"), null, true);
        replicaA.commitOffset("g-" + topic, topic, 7);
        assertThat(replicaB.committedOffset("g-" + topic, topic)).hasValue(7);
        replicaB.commitOffset("g-" + topic, topic, 9);
        assertThat(replicaA.committedOffsets("g-" + topic)).isEqualTo(Map.of(topic, 9L));
        assertThat(replicaA.committedOffsets("unknown-" + topic)).isEmpty();
        assertThat(replicaB.groups()).contains("g-" + topic).doesNotContain("unknown-" + topic);
        assertThat(replicaA.committedOffset("unknown-" + topic, topic)).isEmpty();
    }

    @Test
    void anIdempotentRetryThroughTheOtherReplicaIsNotDuplicated() {
        String topic = newTopic();
        ProducerSeq seq1 = new ProducerSeq("agent-" + topic, 1);
        AppendResult first = replicaA.append(topic, batch(3, "a"), seq1, true);
        AppendResult retryA = replicaA.append(topic, batch(3, "a"), seq1, true);
        AppendResult retryB = replicaB.append(topic, batch(3, "a"), seq1, true);
        assertThat(first.duplicate()).isFalse();
        assertThat(retryA).isEqualTo(new AppendResult(first.baseOffset(), 3, true));
        assertThat(retryB).isEqualTo(new AppendResult(first.baseOffset(), 3, true));

        AppendResult next = replicaB.append(topic, batch(2, "b"), new ProducerSeq("agent-" + topic, 2), true);
        assertThat(next.duplicate()).isFalse();
        assertThatThrownBy(() -> replicaA.append(topic, batch(1, "c"), seq1, true))
                .isInstanceOf(SequenceConflictException.class);

        List<StoredRecord> all = replicaA.read(topic, 0, 100, 1 << 20).records();
        assertThat(all).extracting(StoredRecord::key).containsExactly("a0", "a1", "a2", "b0", "b1");
    }

    @Test
    void concurrentRetriesThroughBothReplicasLeaveOneCopy() throws Exception {
        String topic = newTopic();
        String producer = "p-" + topic;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (long s = 1; s <= 5; s++) {
                ProducerSeq seq = new ProducerSeq(producer, s);
                List<NewRecord> records = batch(2, "s" + s + "-");
                List<Future<AppendResult>> tries = new ArrayList<>();
                for (KafkaStorage replica : List.of(replicaA, replicaB, replicaA, replicaB)) {
                    tries.add(pool.submit(() -> {
                        try {
                            return replica.append(topic, records, seq, true);
                        } catch (StorageUnavailableException e) {
                            return null; // fenced twice by the other replica: the client would retry
                        }
                    }));
                }
                List<AppendResult> results = new ArrayList<>();
                for (Future<AppendResult> f : tries) {
                    AppendResult r = f.get(60, TimeUnit.SECONDS);
                    if (r != null) {
                        results.add(r);
                    }
                }
                assertThat(results).isNotEmpty();
                assertThat(results.stream().filter(r -> !r.duplicate())).hasSizeLessThanOrEqualTo(1);
                assertThat(results.stream().map(AppendResult::baseOffset).distinct()).hasSize(1);
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> keys = replicaB.read(topic, 0, 1000, 1 << 20).records().stream().map(StoredRecord::key).toList();
        assertThat(keys).containsExactly("s1-0", "s1-1", "s2-0", "s2-1", "s3-0", "s3-1", "s4-0", "s4-1", "s5-0",
                "s5-1");
    }

    @Test
    void anUnreachableClusterIsNotReadyAndAppendsFailFast() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (KafkaStorage nowhere = new KafkaStorage(KafkaStorageConfig.of("127.0.0.1:" + closedPort)
                .withRequestTimeout(Duration.ofSeconds(2)))) {
            Thread.sleep(500);
            assertThat(nowhere.isReady()).isFalse();
            long start = System.nanoTime();
            assertThatThrownBy(() -> nowhere.append("t", batch(1, "k"), null, true))
                    .isInstanceOf(StorageUnavailableException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }
}
