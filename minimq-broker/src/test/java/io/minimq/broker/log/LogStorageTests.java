package io.minimq.broker.log;

import io.minimq.broker.storage.AppendResult;
import io.minimq.broker.storage.NewRecord;
import io.minimq.broker.storage.OffsetOutOfRangeException;
import io.minimq.broker.storage.ProducerSeq;
import io.minimq.broker.storage.ReadResult;
import io.minimq.broker.storage.SequenceConflictException;
import io.minimq.broker.storage.StoredRecord;
import io.minimq.broker.storage.TopicNotFoundException;
import io.minimq.broker.storage.TopicSettings;
import io.minimq.broker.storage.TopicStats;
import io.minimq.common.InvalidNameException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogStorageTests {

    @TempDir
    Path dir;

    private LogStorage storage;

    @AfterEach
    void closeStorage() {
        if (storage != null) {
            storage.close();
        }
    }

    private LogStorage open(LogConfig config) {
        storage = new LogStorage(config);
        return storage;
    }

    private LogStorage reopen(LogConfig config) {
        storage.close();
        return open(config);
    }

    static NewRecord json(String value) {
        return new NewRecord(null, null, value.getBytes(StandardCharsets.UTF_8));
    }

    static String text(StoredRecord r) {
        return new String(r.value(), StandardCharsets.UTF_8);
    }

    static List<NewRecord> batch(int from, int count) {
        List<NewRecord> records = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            records.add(json("{\"n\":" + i + "}"));
        }
        return records;
    }

    @Test
    void appendedRecordsReadBackWithKeysHeadersAndValues() {
        open(LogConfig.defaults(dir));
        NewRecord withAll = new NewRecord("node-ä", Map.of("unit", "percent", "h2", "v2"), "{\"cpu\":12.5}".getBytes(StandardCharsets.UTF_8));
        AppendResult first = storage.append("t", List.of(withAll, json("\"s\""), json("null")), null, true);
        AppendResult second = storage.append("t", List.of(json("[1,2]")), null, false);

        assertThat(first).isEqualTo(new AppendResult(0, 3, false));
        assertThat(second).isEqualTo(new AppendResult(3, 1, false));
        ReadResult read = storage.read("t", 0, 100, 1 << 20);
        assertThat(read.records()).extracting(StoredRecord::offset).containsExactly(0L, 1L, 2L, 3L);
        assertThat(read.records()).extracting(LogStorageTests::text).containsExactly("{\"cpu\":12.5}", "\"s\"", "null", "[1,2]");
        assertThat(read.records().get(0).key()).isEqualTo("node-ä");
        assertThat(read.records().get(0).headers()).isEqualTo(Map.of("unit", "percent", "h2", "v2"));
        assertThat(read.records().get(1).key()).isNull();
        assertThat(read.records().get(1).headers()).isEmpty();
        assertThat(read.nextOffset()).isEqualTo(4);
        assertThat(read.startOffset()).isZero();
        assertThat(read.endOffset()).isEqualTo(4);
        assertThat(read.records().get(0).timestamp()).isPositive();
    }

    @Test
    void readsHonourLimitsAndBounds() {
        open(LogConfig.defaults(dir));
        storage.append("t", batch(0, 10), null, true);

        assertThat(storage.read("t", 3, 2, 1 << 20).records()).extracting(StoredRecord::offset).containsExactly(3L, 4L);
        assertThat(storage.read("t", 3, 100, 1).records()).hasSize(1); // the first record always comes
        assertThat(storage.read("t", 10, 100, 1 << 20).records()).isEmpty();
        assertThat(storage.read("t", 10, 100, 1 << 20).nextOffset()).isEqualTo(10);
        assertThatThrownBy(() -> storage.read("t", 11, 1, 100)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThatThrownBy(() -> storage.read("t", -1, 1, 100)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThatThrownBy(() -> storage.read("nope", 0, 1, 100)).isInstanceOf(TopicNotFoundException.class);
        assertThatThrownBy(() -> storage.append("nope", batch(0, 1), null, false)).isInstanceOf(TopicNotFoundException.class);
    }

    @Test
    void everyOffsetIsFoundAcrossSegmentAndIndexEdges() {
        open(LogConfig.defaults(dir).withSegmentBytes(4096).withIndexIntervalBytes(256));
        for (int i = 0; i < 300; i += 3) {
            storage.append("t", batch(i, 3), null, true);
        }
        TopicStats stats = storage.topic("t").orElseThrow();
        assertThat(stats.segments()).isGreaterThan(3);
        for (long offset = 0; offset < 300; offset++) {
            List<StoredRecord> one = storage.read("t", offset, 1, 1 << 20).records();
            assertThat(one).hasSize(1);
            assertThat(one.get(0).offset()).isEqualTo(offset);
            assertThat(text(one.get(0))).isEqualTo("{\"n\":" + offset + "}");
        }
        ReadResult all = storage.read("t", 0, 1000, 1 << 20);
        assertThat(all.records()).extracting(StoredRecord::offset).containsExactlyElementsOf(range(0, 300));
        try (var files = Files.list(dir.resolve("t"))) {
            assertThat(files.map(p -> p.getFileName().toString())).contains("00000000000000000000.log",
                    "00000000000000000000.index", "00000000000000000000.timeindex");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void segmentsRollOnSizeAndAge() throws Exception {
        MutableClock clock = new MutableClock(1_000_000);
        storage = new LogStorage(LogConfig.defaults(dir).withSegmentBytes(2048).withSegmentMs(60_000), LogListener.NONE, clock);
        storage.append("t", batch(0, 1), null, true);
        storage.append("t", batch(1, 1), null, true);
        assertThat(storage.topic("t").orElseThrow().segments()).isEqualTo(1);
        clock.advance(60_000);
        storage.append("t", batch(2, 1), null, true);
        assertThat(storage.topic("t").orElseThrow().segments()).isEqualTo(2);
        assertThat(Files.exists(dir.resolve("t").resolve("00000000000000000002.log"))).isTrue();
        storage.append("t", List.of(json("\"" + "x".repeat(1500) + "\"")), null, true);
        storage.append("t", List.of(json("\"" + "y".repeat(1500) + "\"")), null, true);
        assertThat(storage.topic("t").orElseThrow().segments()).isEqualTo(3);
        assertThat(storage.read("t", 0, 10, 1 << 20).records()).extracting(StoredRecord::offset)
                .containsExactly(0L, 1L, 2L, 3L, 4L);
    }

    @Test
    void offsetForTimeFindsTheFirstRecordAtOrAfter() {
        MutableClock clock = new MutableClock(10_000);
        storage = new LogStorage(LogConfig.defaults(dir).withSegmentBytes(2048).withIndexIntervalBytes(128),
                LogListener.NONE, clock);
        for (int i = 0; i < 200; i++) {
            storage.append("t", batch(i, 1), null, true);
            clock.advance(10); // record i has timestamp 10_000 + 10 i
        }
        assertThat(storage.offsetForTime("t", 0)).isZero();
        assertThat(storage.offsetForTime("t", 10_000)).isZero();
        assertThat(storage.offsetForTime("t", 10_001)).isEqualTo(1);
        assertThat(storage.offsetForTime("t", 10_500)).isEqualTo(50);
        assertThat(storage.offsetForTime("t", 11_995)).isEqualTo(200);
        assertThat(storage.offsetForTime("t", 11_990)).isEqualTo(199);
        assertThat(storage.offsetForTime("t", 99_999)).isEqualTo(200);
        for (int i = 0; i < 200; i += 7) {
            assertThat(storage.offsetForTime("t", 10_000 + 10L * i - 5)).isEqualTo(i);
        }
    }

    @Test
    void timestampsNeverGoBackwards() {
        MutableClock clock = new MutableClock(50_000);
        storage = new LogStorage(LogConfig.defaults(dir), LogListener.NONE, clock);
        storage.append("t", batch(0, 1), null, true);
        clock.advance(-20_000);
        storage.append("t", batch(1, 1), null, true);
        List<StoredRecord> records = storage.read("t", 0, 2, 1 << 20).records();
        assertThat(records.get(1).timestamp()).isEqualTo(records.get(0).timestamp());
    }

    @Test
    void dataTopicsSettingsAndOffsetsSurviveARestart() {
        LogConfig config = LogConfig.defaults(dir).withSegmentBytes(4096);
        open(config);
        for (int i = 0; i < 100; i += 10) {
            storage.append("a", batch(i, 10), null, true);
        }
        storage.createOrUpdateTopic("b", new TopicSettings(3_600_000L, null, 8192L));
        storage.commitOffset("g1", "a", 42);
        storage.commitOffset("g1", "b", 7);
        storage.commitOffset("g1", "a", 43);

        reopen(config);
        assertThat(storage.topics()).extracting(TopicStats::name).containsExactly("a", "b");
        assertThat(storage.read("a", 0, 1000, 1 << 20).records()).extracting(StoredRecord::offset)
                .containsExactlyElementsOf(range(0, 100));
        assertThat(storage.topic("b").orElseThrow().settings())
                .isEqualTo(new TopicSettings(3_600_000L, -1L, 8192L));
        assertThat(storage.committedOffsets("g1")).isEqualTo(Map.of("a", 43L, "b", 7L));
        assertThat(storage.groups()).containsExactly("g1");
        assertThat(storage.committedOffset("g1", "a")).hasValue(43);
        assertThat(storage.committedOffset("g2", "a")).isEmpty();
        assertThat(storage.append("a", batch(100, 1), null, false).baseOffset()).isEqualTo(100);
    }

    @Test
    void createUpdateAndDeleteTopics() {
        open(LogConfig.defaults(dir));
        assertThat(storage.createOrUpdateTopic("t", TopicSettings.DEFAULTS_ONLY)).isTrue();
        assertThat(storage.createOrUpdateTopic("t", new TopicSettings(null, 1_000_000L, null))).isFalse();
        assertThat(storage.topic("t").orElseThrow().settings())
                .isEqualTo(new TopicSettings(LogConfig.DEFAULT_RETENTION_MS, 1_000_000L, LogConfig.DEFAULT_SEGMENT_BYTES));
        storage.append("t", batch(0, 5), null, false);
        storage.commitOffset("g", "t", 3);

        assertThat(storage.deleteTopic("t")).isTrue();
        assertThat(storage.deleteTopic("t")).isFalse();
        assertThat(storage.topic("t")).isEmpty();
        assertThat(storage.committedOffsets("g")).isEmpty();
        assertThat(Files.exists(dir.resolve("t"))).isFalse();

        storage.append("t", batch(0, 1), null, true);
        assertThat(storage.topic("t").orElseThrow().endOffset()).isEqualTo(1);
        assertThatThrownBy(() -> storage.createOrUpdateTopic("x", new TopicSettings(-5L, null, null)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namesThatCouldLeaveTheDataDirectoryAreRefused() {
        open(LogConfig.defaults(dir));
        for (String bad : List.of("../x", "..", ".", "a/b", "", "__consumer_offsets")) {
            assertThatThrownBy(() -> storage.append(bad, batch(0, 1), null, true)).isInstanceOf(InvalidNameException.class);
        }
        assertThat(dir.getParent().resolve("x")).doesNotExist();
    }

    @Test
    void internalTopicsAreNotListed() {
        open(LogConfig.defaults(dir));
        storage.append("__internal", batch(0, 1), null, true);
        storage.append("public", batch(0, 1), null, true);
        assertThat(storage.topics()).extracting(TopicStats::name).containsExactly("public");
        assertThat(storage.topic("__internal")).isPresent();
    }

    @Test
    void idempotentProducerRetriesGetTheOriginalOffsets() {
        LogConfig config = LogConfig.defaults(dir);
        open(config);
        storage.append("t", batch(0, 2), null, true);
        AppendResult first = storage.append("t", batch(0, 3), new ProducerSeq("p1", 5), true);
        assertThat(first).isEqualTo(new AppendResult(2, 3, false));
        assertThat(storage.append("t", batch(0, 3), new ProducerSeq("p1", 5), true)).isEqualTo(new AppendResult(2, 3, true));
        assertThat(storage.topic("t").orElseThrow().endOffset()).isEqualTo(5);
        assertThatThrownBy(() -> storage.append("t", batch(0, 1), new ProducerSeq("p1", 4), true))
                .isInstanceOf(SequenceConflictException.class);
        assertThat(storage.append("t", batch(0, 1), new ProducerSeq("p2", 5), true)).isEqualTo(new AppendResult(5, 1, false));
        assertThat(storage.append("t", batch(0, 1), new ProducerSeq("p1", 9), true)).isEqualTo(new AppendResult(6, 1, false));

        reopen(config);
        assertThat(storage.append("t", batch(0, 1), new ProducerSeq("p1", 9), true)).isEqualTo(new AppendResult(6, 1, true));
        assertThat(storage.append("t", batch(0, 1), new ProducerSeq("p2", 5), true)).isEqualTo(new AppendResult(5, 1, true));
        assertThatThrownBy(() -> storage.append("t", batch(0, 1), new ProducerSeq("p1", 8), true))
                .isInstanceOf(SequenceConflictException.class);
        // producer state is per topic
        assertThat(storage.append("other", batch(0, 1), new ProducerSeq("p1", 1), true).duplicate()).isFalse();
    }

    @Test
    void awaitDataCompletesOnAppendOrTimeout() throws Exception {
        open(LogConfig.defaults(dir));
        storage.append("t", batch(0, 1), null, true);
        assertThat(storage.awaitData("t", 0, Duration.ofSeconds(30)).get(1, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Boolean> waiting = storage.awaitData("t", 1, Duration.ofSeconds(30));
        CompletableFuture<Boolean> later = storage.awaitData("t", 2, Duration.ofSeconds(30));
        assertThat(waiting).isNotDone();
        storage.append("t", batch(1, 1), null, false);
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(later).isNotDone();

        assertThat(storage.awaitData("t", 2, Duration.ofMillis(50)).get(5, TimeUnit.SECONDS)).isFalse();
        storage.deleteTopic("t");
        assertThat(later.get(5, TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void tenThousandLongPollsHoldNoThread() throws Exception {
        open(LogConfig.defaults(dir));
        storage.append("t", batch(0, 1), null, true);
        int threadsBefore = Thread.activeCount();
        List<CompletableFuture<Boolean>> polls = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            polls.add(storage.awaitData("t", 1, Duration.ofMinutes(5)));
        }
        assertThat(Thread.activeCount()).isLessThan(threadsBefore + 3); // at most the shared timer thread
        assertThat(polls).noneMatch(CompletableFuture::isDone);
        storage.append("t", batch(1, 1), null, false);
        CompletableFuture.allOf(polls.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertThat(polls).allMatch(f -> f.join());
    }

    @Test
    void flushAlwaysAcknowledgesAfterFsync() {
        open(LogConfig.defaults(dir).withFlush(FlushPolicy.ALWAYS, Duration.ofSeconds(1)));
        for (int i = 0; i < 20; i++) {
            assertThat(storage.append("t", batch(i, 1), null, true).baseOffset()).isEqualTo(i);
        }
        storage.commitOffset("g", "t", 20);
        assertThat(storage.read("t", 0, 100, 1 << 20).records()).hasSize(20);
    }

    @Test
    void anInterruptedReaderDoesNotBreakTheTopicForOthers() throws Exception {
        open(LogConfig.defaults(dir));
        storage.append("t", batch(0, 10), null, true);
        Thread reader = new Thread(() -> {
            Thread.currentThread().interrupt(); // an interrupted FileChannel read closes the channel
            try {
                storage.read("t", 0, 10, 1 << 20);
            } catch (RuntimeException expected) {
                // the interrupted reader itself may fail
            }
        });
        reader.start();
        reader.join();
        assertThat(storage.append("t", batch(10, 5), null, false).baseOffset()).isEqualTo(10);
        assertThat(storage.read("t", 0, 100, 1 << 20).records()).extracting(StoredRecord::offset)
                .containsExactlyElementsOf(range(0, 15));
    }

    static List<Long> range(long from, long to) {
        List<Long> list = new ArrayList<>();
        for (long i = from; i < to; i++) {
            list.add(i);
        }
        return list;
    }
}
