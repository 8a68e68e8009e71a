package io.minimq.broker.log;

import io.minimq.broker.storage.TopicSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;

/**
 * Opens a topic directory and brings it to a consistent state: the one place where recovery
 * happens.
 *
 * <p>Every segment but the last was forced when it was sealed, and the recovery checkpoint
 * says up to where the last one was forced and checked. So recovery reads only the bytes after
 * the checkpoint (none after a clean shutdown): it checks each record's CRC and framing, keeps
 * whole batches, rebuilds the index entries for what it read, replays the idempotent producers'
 * batches, and truncates at the first torn or corrupt byte, dropping any later segment. Without
 * a usable checkpoint it scans the last segment from its start. Older segments are only opened;
 * their indexes are loaded (and rebuilt when missing or damaged) on first use.
 *
 * <p>Not thread-safe; runs once per topic before the topic takes traffic.
 */
final class LogLoader {

    private static final Logger log = LoggerFactory.getLogger(LogLoader.class);

    private final String topic;
    private final Path dir;
    private final LogConfig config;

    private final List<LogSegment> segments = new ArrayList<>();
    private ProducerState producers = new ProducerState(Map.of());
    private long lastTimestamp;
    private long endOffset;
    private long bytesScanned;
    private long bytesTruncated;
    private int recordsDropped;

    private LogLoader(String topic, Path dir, LogConfig config) {
        this.topic = topic;
        this.dir = dir;
        this.config = config;
    }

    /** Loaded state of one topic, ready to be wrapped in a {@link Log}. */
    record Loaded(List<LogSegment> segments, long endOffset, long lastTimestamp, ProducerState producers,
            Checkpoint checkpoint, RecoveryResult result) {

        Log toLog(LogConfig config, LogListener listener, Clock clock, ScheduledExecutorService timer,
                TopicSettings overrides) {
            return new Log(segments.get(0).topic(), segments.get(0).file().getParent(), config, listener, clock, timer,
                    overrides, segments, endOffset, lastTimestamp, producers, checkpoint);
        }
    }

    static Loaded load(String topic, Path dir, LogConfig config) throws IOException {
        return new LogLoader(topic, dir, config).load();
    }

    private Loaded load() throws IOException {
        deleteTemporaryFiles();
        openSegments();
        Checkpoint checkpoint = Checkpoint.read(dir, topic);
        int start = recoverFrom(checkpoint);
        scan(start);
        RecoveryResult result = new RecoveryResult(bytesScanned, bytesTruncated, recordsDropped, segments.size());
        return new Loaded(List.copyOf(segments), endOffset, lastTimestamp, producers, null, result);
    }

    private void deleteTemporaryFiles() throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            for (Path tmp : list.filter(p -> p.getFileName().toString().endsWith(LogFiles.TMP_SUFFIX)).toList()) {
                Files.delete(tmp);
            }
        }
    }

    private void openSegments() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(LogFiles::isLogFile).sorted(Comparator.comparingLong(LogFiles::offsetFromFileName)).toList();
        }
        for (Path file : files) {
            segments.add(LogSegment.open(topic, dir, LogFiles.offsetFromFileName(file), config.indexIntervalBytes()));
        }
        if (segments.isEmpty()) {
            segments.add(LogSegment.create(topic, dir, 0, config.indexIntervalBytes()));
        }
    }

    /** Where the scan starts in the start segment. */
    private long startPosition;

    /**
     * Chooses where the scan starts, sets the state as of that point and installs the start
     * segment's indexes; returns the index of the start segment in {@link #segments}.
     */
    private int recoverFrom(Checkpoint checkpoint) throws IOException {
        int last = segments.size() - 1;
        if (checkpoint != null) {
            producers = new ProducerState(checkpoint.producers());
            lastTimestamp = checkpoint.lastTimestamp();
            for (int i = 0; i <= last; i++) {
                LogSegment segment = segments.get(i);
                if (segment.baseOffset() != checkpoint.segmentBase()) {
                    continue;
                }
                if (checkpoint.position() <= segment.size() && installCheckpointedIndexes(segment, checkpoint)) {
                    endOffset = checkpoint.nextOffset();
                    return i;
                }
                log.warn("Topic '{}': segment {} does not match the recovery checkpoint; scanning it whole", topic,
                        segment.fileName());
                scanWhole(segment);
                return i;
            }
            log.warn("Topic '{}': the segment of the recovery checkpoint is gone; scanning the last segment", topic);
        } else if (segments.get(last).size() > 0) {
            log.warn("Topic '{}': no recovery checkpoint; scanning the last segment", topic);
        }
        scanWhole(segments.get(last));
        return last;
    }

    private void scanWhole(LogSegment segment) {
        segment.setIndexes(SparseIndex.empty(SparseIndex.Kind.OFFSET, LogFiles.indexFile(dir, segment.baseOffset())),
                SparseIndex.empty(SparseIndex.Kind.TIME, LogFiles.timeIndexFile(dir, segment.baseOffset())));
        startPosition = 0;
        endOffset = segment.baseOffset();
    }

    /** Loads the start segment's indexes up to the checkpoint; false when they are unusable. */
    private boolean installCheckpointedIndexes(LogSegment segment, Checkpoint checkpoint) throws IOException {
        long position = checkpoint.position();
        SparseIndex offsets = SparseIndex.load(SparseIndex.Kind.OFFSET, LogFiles.indexFile(dir, segment.baseOffset()));
        SparseIndex times = SparseIndex.load(SparseIndex.Kind.TIME, LogFiles.timeIndexFile(dir, segment.baseOffset()));
        if (position == 0) {
            offsets = SparseIndex.empty(SparseIndex.Kind.OFFSET, LogFiles.indexFile(dir, segment.baseOffset()));
            times = SparseIndex.empty(SparseIndex.Kind.TIME, LogFiles.timeIndexFile(dir, segment.baseOffset()));
        } else {
            if (offsets == null || times == null) {
                log.warn("Topic '{}': index of segment {} missing or damaged; scanning it", topic, segment.fileName());
                return false;
            }
            offsets.truncateToValue(position);
            times.truncateToValue(checkpoint.nextOffset() - segment.baseOffset());
            if (!offsets.isSane(position) || !times.isSane(Integer.MAX_VALUE)) {
                log.warn("Topic '{}': index of segment {} missing or damaged; scanning it", topic, segment.fileName());
                return false;
            }
        }
        segment.setIndexes(offsets, times);
        startPosition = position;
        return true;
    }

    /** Scans from the start segment to the end, truncating at the first bad byte. */
    private void scan(int start) throws IOException {
        for (int i = start; i < segments.size(); i++) {
            LogSegment segment = segments.get(i);
            if (i > start) {
                if (segment.baseOffset() != endOffset) {
                    dropFrom(i, "segment starts at offset " + segment.baseOffset() + ", expected " + endOffset);
                    return;
                }
                scanWhole(segment);
            }
            if (scanSegment(segment, startPosition) != null) {
                dropFrom(i + 1, "it follows damaged data");
                return;
            }
        }
    }

    /** Scans one segment; returns null when all of it is whole batches, else truncates it and says why. */
    private String scanSegment(LogSegment segment, long from) throws IOException {
        long size = segment.size();
        bytesScanned += size - from;
        RecordCursor cursor = new RecordCursor(segment.channel(), from, size, 256 * 1024);
        long validEnd = from;
        long expected = endOffset;
        int pendingRecords = 0;
        int expectedRemaining = -1;
        String producerId = null;
        long producerSeq = 0;
        long batchBase = expected;
        String problem = null;
        try {
            while (cursor.next()) {
                ByteBuffer buf = cursor.buffer();
                int pos = cursor.bufferPosition();
                long offset = RecordFormat.offset(buf, pos);
                int remaining = RecordFormat.batchRemaining(buf, pos);
                if (offset != expected) {
                    problem = "expected offset " + expected + " but found " + offset;
                    break;
                }
                if (remaining < 0 || (expectedRemaining >= 0 && remaining != expectedRemaining)) {
                    problem = "broken batch at offset " + offset;
                    break;
                }
                if (expectedRemaining < 0) {
                    batchBase = offset;
                    producerId = null;
                    if (RecordFormat.hasProducer(buf, pos)) {
                        var producer = RecordFormat.producer(buf, pos);
                        producerId = producer.producerId();
                        producerSeq = producer.seq();
                    }
                }
                long timestamp = RecordFormat.timestamp(buf, pos);
                segment.maybeIndex(offset, cursor.position(), timestamp);
                expected++;
                pendingRecords++;
                if (remaining == 0) {
                    validEnd = cursor.endPosition();
                    endOffset = expected;
                    lastTimestamp = Math.max(lastTimestamp, timestamp);
                    if (producerId != null) {
                        producers.update(producerId, producerSeq, batchBase, pendingRecords);
                    }
                    pendingRecords = 0;
                    expectedRemaining = -1;
                } else {
                    expectedRemaining = remaining - 1;
                }
            }
            if (problem == null && cursor.torn()) {
                problem = "torn record at the end";
            }
        } catch (CorruptRecordException e) {
            problem = "corrupt record at position " + cursor.position() + ": " + e.getMessage();
        }
        if (problem == null && pendingRecords > 0) {
            problem = "unfinished batch at the end";
        }
        if (problem != null) {
            bytesTruncated += size - validEnd;
            recordsDropped += pendingRecords;
            segment.truncateTo(validEnd, endOffset);
            log.warn("Topic '{}': recovery truncated segment {} at position {} (offset {}): dropped {} bytes and {} "
                    + "complete record(s) of an unfinished batch; cause: {}", topic, segment.file(), validEnd, endOffset,
                    size - validEnd, pendingRecords, problem);
        }
        return problem;
    }

    /** Deletes the segments from index {@code i} on: they follow damaged bytes, so they cannot be trusted. */
    private void dropFrom(int i, String problem) throws IOException {
        while (segments.size() > i) {
            LogSegment dropped = segments.remove(segments.size() - 1);
            bytesTruncated += dropped.size();
            log.warn("Topic '{}': recovery deleted segment {} ({} bytes): {}", topic, dropped.file(), dropped.size(),
                    problem);
            dropped.delete();
        }
    }
}
