package io.minimq.broker.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.minimq.broker.storage.NewRecord;
import io.minimq.broker.storage.StoredRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

import static io.minimq.broker.log.LogStorageTests.batch;
import static io.minimq.broker.log.LogStorageTests.range;
import static io.minimq.broker.log.LogStorageTests.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Recovery on real files: torn, corrupt and extended tails, lost indexes, and what start-up reads. */
class LogRecoveryTests {

    /** Checkpoints only when the test asks (flushAll) or on close. */
    private static final Duration NEVER = Duration.ofHours(1);

    @TempDir
    Path dir;

    private final Map<String, RecoveryResult> recoveries = new ConcurrentHashMap<>();
    private final LogListener listener = new LogListener() {
        @Override
        public void onRecovery(String topic, RecoveryResult result) {
            recoveries.put(topic, result);
        }
    };

    private LogConfig config() {
        return LogConfig.defaults(dir).withFlush(FlushPolicy.INTERVAL, NEVER).withIndexIntervalBytes(256);
    }

    private Path logFile(long base) {
        return dir.resolve("t").resolve(LogFiles.baseName(base) + LogFiles.LOG_SUFFIX);
    }

    private Path checkpointFile() {
        return dir.resolve("t").resolve(LogFiles.CHECKPOINT_FILE);
    }

    /**
     * Writes 20 single-record batches, checkpoints (as the flusher would), then the {@code last}
     * batch, and shuts down; the old checkpoint is put back, as if the process died after it.
     * Returns {start of the last batch, end of the log} in bytes.
     */
    private long[] logWithUncheckpointedLastBatch(List<NewRecord> last) throws IOException {
        long start;
        byte[] checkpoint;
        try (LogStorage storage = new LogStorage(config(), listener)) {
            for (int i = 0; i < 20; i++) {
                storage.append("t", batch(i, 1), null, true);
                if (i == 9) {
                    storage.flushAll();
                }
            }
            checkpoint = Files.readAllBytes(checkpointFile());
            start = storage.topic("t").orElseThrow().sizeBytes();
            storage.append("t", last, null, false);
        }
        Files.write(checkpointFile(), checkpoint);
        return new long[] {start, Files.size(logFile(0))};
    }

    private void assertRecoveredTo(LogStorage storage, long endOffset) {
        assertThat(storage.topic("t").orElseThrow().endOffset()).isEqualTo(endOffset);
        List<StoredRecord> records = storage.read("t", 0, 1000, Integer.MAX_VALUE).records();
        assertThat(records).extracting(StoredRecord::offset).containsExactlyElementsOf(range(0, endOffset));
        for (StoredRecord r : records) {
            assertThat(text(r)).isEqualTo("{\"n\":" + r.offset() + "}");
        }
        // the log takes appends again right where it was cut
        assertThat(storage.append("t", batch((int) endOffset, 1), null, false).baseOffset()).isEqualTo(endOffset);
    }

    @Test
    void aTailTornAtEveryBytePositionOfTheLastRecordIsTruncated() throws IOException {
        long[] bounds = logWithUncheckpointedLastBatch(batch(20, 1));
        byte[] pristine = Files.readAllBytes(logFile(0));
        byte[] checkpoint = Files.readAllBytes(checkpointFile());
        for (long cut = bounds[0]; cut < bounds[1]; cut++) {
            Files.write(logFile(0), java.util.Arrays.copyOf(pristine, (int) cut));
            Files.write(checkpointFile(), checkpoint);
            try (LogStorage storage = new LogStorage(config(), listener)) {
                assertThat(recoveries.get("t").bytesTruncated()).as("cut at %d", cut).isEqualTo(cut - bounds[0]);
                assertRecoveredTo(storage, 20);
            }
        }
    }

    @Test
    void withoutACheckpointTheLastSegmentIsScannedWhole() throws IOException {
        long[] bounds = logWithUncheckpointedLastBatch(batch(20, 1));
        Files.delete(checkpointFile());
        try (FileChannel ch = FileChannel.open(logFile(0), StandardOpenOption.WRITE)) {
            ch.truncate(bounds[1] - 3);
        }
        try (LogStorage storage = new LogStorage(config(), listener)) {
            assertThat(recoveries.get("t").bytesScanned()).isEqualTo(bounds[1] - 3);
            assertRecoveredTo(storage, 20);
        }
    }

    @Test
    void aFlippedByteAnywhereInTheLastBatchDropsTheWholeBatch() throws IOException {
        long[] bounds = logWithUncheckpointedLastBatch(batch(20, 4));
        byte[] pristine = Files.readAllBytes(logFile(0));
        byte[] checkpoint = Files.readAllBytes(checkpointFile());
        long[] recordStarts = recordStarts(pristine, bounds[0], 4);
        Random random = new Random(42);
        for (int trial = 0; trial < 60; trial++) {
            int position = (int) (bounds[0] + random.nextInt((int) (bounds[1] - bounds[0])));
            byte[] damaged = pristine.clone();
            damaged[position] ^= (byte) (1 + random.nextInt(255));
            Files.write(logFile(0), damaged);
            Files.write(checkpointFile(), checkpoint);
            try (LogStorage storage = new LogStorage(config(), listener)) {
                RecoveryResult result = recoveries.get("t");
                assertThat(result.bytesTruncated()).as("flip at %d", position).isEqualTo(bounds[1] - bounds[0]);
                assertThat(result.recordsDropped()).as("flip at %d", position).isEqualTo(recordIndex(recordStarts, position));
                assertRecoveredTo(storage, 20);
            }
        }
    }

    @Test
    void aBatchCutBetweenItsRecordsIsDroppedWhole() throws IOException {
        long[] bounds = logWithUncheckpointedLastBatch(batch(20, 5));
        long[] starts = recordStarts(Files.readAllBytes(logFile(0)), bounds[0], 5);
        try (FileChannel ch = FileChannel.open(logFile(0), StandardOpenOption.WRITE)) {
            ch.truncate(starts[3]);
        }
        try (LogStorage storage = new LogStorage(config(), listener)) {
            assertThat(recoveries.get("t").recordsDropped()).isEqualTo(3);
            assertRecoveredTo(storage, 20);
        }
    }

    @Test
    void garbageAfterACleanShutdownIsTruncatedAndLogged() throws IOException {
        try (LogStorage storage = new LogStorage(config(), listener)) {
            storage.append("t", batch(0, 20), null, true);
        }
        byte[] garbage = new byte[100];
        new Random(7).nextBytes(garbage);
        Files.write(logFile(0), garbage, StandardOpenOption.APPEND);
        Logger loaderLog = (Logger) LoggerFactory.getLogger(LogLoader.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        loaderLog.addAppender(appender);
        try (LogStorage storage = new LogStorage(config(), listener)) {
            assertThat(recoveries.get("t").bytesTruncated()).isEqualTo(100);
            assertRecoveredTo(storage, 20);
        } finally {
            loaderLog.detachAppender(appender);
        }
        assertThat(appender.list).anySatisfy(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getFormattedMessage()).contains("Topic 't'", "dropped 100 bytes", "0 complete record(s)");
        });
    }

    @Test
    void aCorruptRecordBeforeTheCheckpointIsNeverServed() throws IOException {
        long[] starts;
        try (LogStorage storage = new LogStorage(config(), listener)) {
            for (int i = 0; i < 20; i++) {
                storage.append("t", batch(i, 1), null, true);
            }
        }
        byte[] bytes = Files.readAllBytes(logFile(0));
        starts = recordStarts(bytes, 0, 20);
        bytes[(int) starts[5] + RecordFormat.TIMESTAMP_OFFSET + 3] ^= 0x10; // a silently rotted byte
        Files.write(logFile(0), bytes);
        try (LogStorage storage = new LogStorage(config(), listener)) {
            assertThat(storage.read("t", 0, 5, Integer.MAX_VALUE).records()).hasSize(5);
            assertThatThrownBy(() -> storage.read("t", 0, 100, Integer.MAX_VALUE))
                    .isInstanceOf(CorruptRecordException.class).hasMessageContaining("offset 5")
                    .hasMessageContaining("CRC");
            assertThatThrownBy(() -> storage.read("t", 5, 1, Integer.MAX_VALUE)).isInstanceOf(CorruptRecordException.class);
        }
    }

    @Test
    void missingOrDamagedIndexesAreRebuilt() throws IOException {
        LogConfig config = config().withSegmentBytes(2048);
        MutableClock clock = new MutableClock(1_000_000);
        try (LogStorage storage = new LogStorage(config, listener, clock)) {
            for (int i = 0; i < 300; i++) {
                storage.append("t", batch(i, 1), null, true);
                clock.advance(10);
            }
        }
        List<Path> indexes = listSorted(LogFiles.INDEX_SUFFIX);
        List<Path> timeIndexes = listSorted(LogFiles.TIME_INDEX_SUFFIX);
        assertThat(indexes.size()).isGreaterThan(4);
        Files.delete(indexes.get(0));
        Files.write(indexes.get(1), new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, 9});
        Files.write(timeIndexes.get(2), new byte[5]);
        Files.delete(indexes.get(indexes.size() - 1)); // the active segment's
        try (LogStorage storage = new LogStorage(config, listener, clock)) {
            for (long offset = 0; offset < 300; offset++) {
                assertThat(storage.read("t", offset, 1, 100).records().get(0).offset()).isEqualTo(offset);
            }
            for (int i = 0; i < 300; i += 13) {
                assertThat(storage.offsetForTime("t", 1_000_000 + 10L * i - 5)).isEqualTo(i);
            }
        }
        assertThat(Files.size(indexes.get(0))).isPositive().isEqualTo(Files.size(indexes.get(0)) / 8 * 8);
        assertThat(Files.size(indexes.get(1)) % 8).isZero();
        assertThat(Files.size(timeIndexes.get(2))).isPositive();
        assertThat(Files.size(timeIndexes.get(2)) % 12).isZero();
    }

    @Test
    void startUpReadsOnlyTheTailNotTheWholeLog() throws IOException {
        LogConfig config = config().withSegmentBytes(8192);
        byte[] midTailCheckpoint;
        long total;
        try (LogStorage storage = new LogStorage(config, listener)) {
            for (int i = 0; i < 3000; i++) {
                storage.append("t", batch(i, 1), null, true);
            }
            storage.flushAll();
            midTailCheckpoint = Files.readAllBytes(checkpointFile());
            storage.append("t", batch(3000, 10), null, false);
            total = storage.topic("t").orElseThrow().sizeBytes();
        }
        assertThat(total).isGreaterThan(15 * 8192L);
        try (LogStorage storage = new LogStorage(config, listener)) { // after a clean shutdown
            assertThat(recoveries.get("t").bytesScanned()).isZero();
        }
        Files.write(checkpointFile(), midTailCheckpoint); // as if killed after that checkpoint
        try (LogStorage storage = new LogStorage(config, listener)) {
            assertThat(recoveries.get("t").bytesScanned()).isPositive().isLessThan(1024);
            assertThat(storage.topic("t").orElseThrow().endOffset()).isEqualTo(3010);
        }
        Files.delete(checkpointFile()); // no checkpoint at all: the last segment only
        try (LogStorage storage = new LogStorage(config, listener)) {
            assertThat(recoveries.get("t").bytesScanned()).isPositive().isLessThanOrEqualTo(8192);
            assertThat(storage.topic("t").orElseThrow().endOffset()).isEqualTo(3010);
        }
    }

    private List<Path> listSorted(String suffix) throws IOException {
        try (var files = Files.list(dir.resolve("t"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    /** The positions of {@code count} records laid end to end from {@code start}. */
    private static long[] recordStarts(byte[] log, long start, int count) {
        long[] starts = new long[count];
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(log);
        long p = start;
        for (int i = 0; i < count; i++) {
            starts[i] = p;
            p += RecordFormat.size(buf, (int) p);
        }
        return starts;
    }

    private static int recordIndex(long[] starts, long position) {
        int i = 0;
        while (i + 1 < starts.length && starts[i + 1] <= position) {
            i++;
        }
        return i;
    }
}
