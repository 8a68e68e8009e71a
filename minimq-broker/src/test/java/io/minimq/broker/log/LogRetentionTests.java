package io.minimq.broker.log;

import io.minimq.broker.storage.OffsetOutOfRangeException;
import io.minimq.broker.storage.StoredRecord;
import io.minimq.broker.storage.TopicSettings;
import io.minimq.broker.storage.TopicStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static io.minimq.broker.log.LogStorageTests.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Retention deletes whole oldest segments, by age and by size, in the background. */
class LogRetentionTests {

    @TempDir
    Path dir;

    @Test
    void segmentsOlderThanTheRetentionTimeAreDeleted() {
        MutableClock clock = new MutableClock(1_000_000);
        LogConfig config = LogConfig.defaults(dir).withSegmentBytes(2048).withRetention(60_000, -1)
                .withRetentionCheckInterval(Duration.ofHours(1));
        try (LogStorage storage = new LogStorage(config, LogListener.NONE, clock)) {
            for (int i = 0; i < 100; i++) {
                storage.append("t", batch(i, 1), null, true); // old records
            }
            clock.advance(30_000);
            for (int i = 100; i < 200; i++) {
                storage.append("t", batch(i, 1), null, true); // younger records, in later segments
            }
            long youngStart = storage.offsetForTime("t", 1_030_000);
            clock.advance(40_000); // the first 100 are now 70 s old, the others 40 s

            storage.applyRetention();
            TopicStats stats = storage.topic("t").orElseThrow();
            assertThat(stats.startOffset()).isGreaterThan(0).isLessThanOrEqualTo(youngStart).isLessThanOrEqualTo(100);
            assertThat(stats.endOffset()).isEqualTo(200);
            assertThat(Files.exists(dir.resolve("t").resolve("00000000000000000000.log"))).isFalse();
            assertThatThrownBy(() -> storage.read("t", 0, 1, 100)).isInstanceOf(OffsetOutOfRangeException.class);
            assertThat(storage.read("t", stats.startOffset(), 1000, Integer.MAX_VALUE).records())
                    .extracting(StoredRecord::offset).startsWith(stats.startOffset()).endsWith(199L);

            clock.advance(60_000); // now everything is expired: the topic empties but keeps its offsets
            storage.applyRetention();
            stats = storage.topic("t").orElseThrow();
            assertThat(stats.startOffset()).isEqualTo(200);
            assertThat(stats.endOffset()).isEqualTo(200);
            assertThat(stats.segments()).isEqualTo(1);
            assertThat(storage.append("t", batch(200, 1), null, false).baseOffset()).isEqualTo(200);
        }
    }

    @Test
    void oldestSegmentsGoWhileATopicIsOverItsRetentionSize() {
        LogConfig config = LogConfig.defaults(dir).withSegmentBytes(2048).withRetentionCheckInterval(Duration.ofHours(1));
        try (LogStorage storage = new LogStorage(config)) {
            storage.createOrUpdateTopic("t", new TopicSettings(null, 8192L, null));
            storage.createOrUpdateTopic("unlimited", null);
            for (int i = 0; i < 1000; i++) {
                storage.append("t", batch(i, 1), null, false);
                storage.append("unlimited", batch(i, 1), null, false);
            }
            storage.applyRetention();
            TopicStats stats = storage.topic("t").orElseThrow();
            // never below the limit, above it by less than one segment
            assertThat(stats.sizeBytes()).isGreaterThanOrEqualTo(8192).isLessThan(8192 + 2048);
            assertThat(stats.startOffset()).isPositive();
            assertThat(storage.read("t", stats.startOffset(), 10_000, Integer.MAX_VALUE).records())
                    .hasSize((int) (1000 - stats.startOffset()));
            assertThat(storage.topic("unlimited").orElseThrow().startOffset()).isZero();
        }
        try (LogStorage storage = new LogStorage(config)) { // the setting and the new start survive a restart
            assertThat(storage.topic("t").orElseThrow().settings().retentionBytes()).isEqualTo(8192L);
            assertThat(storage.topic("t").orElseThrow().startOffset()).isPositive();
        }
    }

    @Test
    void theBackgroundThreadAppliesRetention() {
        AtomicInteger deleted = new AtomicInteger();
        LogListener listener = new LogListener() {
            @Override
            public void onRetention(String topic, int segments, long bytes) {
                deleted.addAndGet(segments);
            }
        };
        LogConfig config = LogConfig.defaults(dir).withSegmentBytes(2048).withRetention(LogConfig.DEFAULT_RETENTION_MS, 4096)
                .withRetentionCheckInterval(Duration.ofMillis(50));
        try (LogStorage storage = new LogStorage(config, listener)) {
            for (int i = 0; i < 500; i++) {
                storage.append("t", batch(i, 1), null, true);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> storage.topic("t").orElseThrow().sizeBytes() < 4096 + 2048);
            assertThat(deleted.get()).isPositive();
        }
    }
}
