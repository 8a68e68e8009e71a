package io.minimq.broker.log;

import io.minimq.broker.storage.AppendResult;
import io.minimq.broker.storage.NewRecord;
import io.minimq.broker.storage.OffsetOutOfRangeException;
import io.minimq.broker.storage.ProducerSeq;
import io.minimq.broker.storage.ReadResult;
import io.minimq.broker.storage.SequenceConflictException;
import io.minimq.broker.storage.StorageException;
import io.minimq.broker.storage.StorageFullException;
import io.minimq.broker.storage.StoredRecord;
import io.minimq.broker.storage.TopicNotFoundException;
import io.minimq.broker.storage.TopicSettings;
import io.minimq.broker.storage.TopicStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The log of one topic: its segments in offset order, the last of which takes appends.
 *
 * <p>Appends, rolls and retention run under one lock; a batch is encoded, written to the
 * active segment, indexed, and only then made visible by publishing the segment's size and
 * the log's end offset, in that order. Readers take no lock: they read the end offset first
 * and never look past it, so they never see a partial record or an unfinished batch.
 *
 * <p>Thread-safe.
 */
final class Log {

    private static final Logger log = LoggerFactory.getLogger(Log.class);
    /** The encode buffer a topic keeps between appends; larger batches get a one-off buffer. */
    private static final int KEEP_ENCODE_BUFFER_BYTES = 256 * 1024;
    private static final long GROUP_COMMIT_MAX_WAIT_NANOS = 200_000;

    private final String topic;
    private final Path dir;
    private final LogConfig config;
    private final LogListener listener;
    private final Clock clock;
    private final ConcurrentSkipListMap<Long, LogSegment> segments;
    private final ProducerState producers;
    private final EndOffsetWaiters waiters;
    private final GroupCommit groupCommit = new GroupCommit();
    private final ReentrantLock lock = new ReentrantLock();
    private final Object checkpointLock = new Object();
    /** Appends between entering {@link #append} and leaving its lock (group commit waits for them). */
    private final AtomicInteger appendsInFlight = new AtomicInteger();

    private volatile TopicSettings overrides;
    private volatile LogSegment active;
    private volatile long endOffset;
    /** Guarded by lock. Timestamps never decrease within a topic, which keeps the time index sorted. */
    private long lastTimestamp;
    /** Bytes appended since the log was opened: the mark group commit waits for. */
    private volatile long writtenBytes;
    private volatile boolean closed;
    private volatile boolean deleted;
    /** Guarded by lock. */
    private ByteBuffer encodeBuffer = ByteBuffer.allocate(0); // grows on first use: idle topics cost nothing
    /** Guarded by checkpointLock. */
    private Checkpoint lastCheckpoint;

    Log(String topic, Path dir, LogConfig config, LogListener listener, Clock clock, ScheduledExecutorService timer,
            TopicSettings overrides, List<LogSegment> segments, long endOffset, long lastTimestamp,
            ProducerState producers) {
        this.topic = topic;
        this.dir = dir;
        this.config = config;
        this.listener = listener;
        this.clock = clock;
        this.overrides = overrides;
        this.segments = new ConcurrentSkipListMap<>();
        segments.forEach(s -> this.segments.put(s.baseOffset(), s));
        this.active = this.segments.lastEntry().getValue();
        this.endOffset = endOffset;
        this.lastTimestamp = lastTimestamp;
        this.producers = producers;
        this.waiters = new EndOffsetWaiters(() -> this.endOffset, timer);
    }

    String topic() {
        return topic;
    }

    Path dir() {
        return dir;
    }

    long endOffset() {
        return endOffset;
    }

    long startOffset() {
        return segments.firstKey();
    }

    // ---------------------------------------------------------------- append

    AppendResult append(List<NewRecord> records, ProducerSeq producer) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one record");
        }
        AppendResult result;
        long before;
        long mark;
        appendsInFlight.incrementAndGet();
        lock.lock();
        try {
            ensureOpen();
            before = writtenBytes;
            result = checkSequence(producer);
            if (result == null) {
                result = appendLocked(records, producer);
            }
            mark = writtenBytes; // a duplicate waits too: its original may still be awaiting its fsync
        } finally {
            lock.unlock();
            appendsInFlight.decrementAndGet();
        }
        if (!result.duplicate()) {
            waiters.endOffsetChanged(result.lastOffset() + 1);
            listener.onAppend(topic, result.count(), mark - before);
        }
        awaitDurable(mark);
        return result;
    }

    /** Encodes, writes, indexes and publishes a batch. Under the lock. */
    private AppendResult appendLocked(List<NewRecord> records, ProducerSeq producer) {
        long now = Math.max(clock.millis(), lastTimestamp);
        long base = endOffset;
        ByteBuffer batch = encode(records, producer, base, now);
        int bytes = batch.remaining();
        if (shouldRoll(active, bytes, records.size(), now)) {
            roll();
        }
        LogSegment segment = active;
        long position = segment.size();
        try {
            segment.write(batch);
        } catch (IOException e) {
            throw storageFull("append to", e);
        }
        indexBatch(segment, batch, base, position, now);
        segment.publish(position + bytes);
        if (producer != null) {
            producers.update(producer.producerId(), producer.seq(), base, records.size());
        }
        lastTimestamp = now;
        endOffset = base + records.size();
        writtenBytes += bytes;
        return new AppendResult(base, records.size(), false);
    }

    /** Under {@link FlushPolicy#ALWAYS}, returns once the log is fsynced up to {@code mark}. */
    private void awaitDurable(long mark) {
        if (config.flushPolicy() == FlushPolicy.ALWAYS) {
            try {
                groupCommit.awaitDurable(mark, this::syncForGroupCommit);
            } catch (IOException e) {
                throw storageFull("fsync", e);
            }
        }
    }

    /** The original result for a retried batch, null for a new one; throws for a stale sequence. */
    private AppendResult checkSequence(ProducerSeq producer) {
        if (producer == null) {
            return null;
        }
        ProducerState.Entry last = producers.get(producer.producerId());
        if (last == null || producer.seq() > last.seq()) {
            return null;
        }
        if (producer.seq() == last.seq()) {
            return new AppendResult(last.baseOffset(), last.count(), true);
        }
        throw new SequenceConflictException(producer.producerId(), topic, producer.seq(), last.seq());
    }

    private ByteBuffer encode(List<NewRecord> records, ProducerSeq producer, long base, long timestamp) {
        byte[][] keys = keysInUtf8(records);
        long total = 0;
        for (int i = 0; i < records.size(); i++) {
            total += RecordFormat.sizeOf(records.get(i), keys[i], i == 0 ? producer : null);
        }
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("batch of " + total + " bytes is too large");
        }
        ByteBuffer buf = encodeBuffer.capacity() >= total ? encodeBuffer
                : ByteBuffer.allocate((int) Math.max(total, Math.min(2L * encodeBuffer.capacity(), KEEP_ENCODE_BUFFER_BYTES)));
        if (buf.capacity() <= KEEP_ENCODE_BUFFER_BYTES) {
            encodeBuffer = buf;
        }
        buf.clear();
        int last = records.size() - 1;
        for (int i = 0; i <= last; i++) {
            RecordFormat.write(buf, base + i, last - i, timestamp, records.get(i), keys[i], i == 0 ? producer : null);
        }
        return buf.flip();
    }

    /** Each record's key in UTF-8; a key repeated from the record before (the same String) is encoded once. */
    private static byte[][] keysInUtf8(List<NewRecord> records) {
        byte[][] keys = new byte[records.size()][];
        String lastKey = null;
        byte[] lastBytes = null;
        for (int i = 0; i < keys.length; i++) {
            String key = records.get(i).key();
            if (key != null && key != lastKey) {
                lastKey = key;
                lastBytes = key.getBytes(StandardCharsets.UTF_8);
            }
            keys[i] = key == null ? null : lastBytes;
        }
        return keys;
    }

    private void indexBatch(LogSegment segment, ByteBuffer batch, long base, long position, long timestamp) {
        int p = 0;
        for (long offset = base; p < batch.limit(); offset++) {
            segment.maybeIndex(offset, position + p, timestamp);
            p += RecordFormat.size(batch, p);
        }
    }

    /** The one place that decides when a new segment starts. */
    private boolean shouldRoll(LogSegment segment, int batchBytes, int count, long now) {
        if (segment.size() == 0) {
            return false;
        }
        try {
            return segment.size() + batchBytes > settings().segmentBytes()
                    || now - segment.firstTimestamp() >= config.segmentMs()
                    || endOffset + count - segment.baseOffset() > Integer.MAX_VALUE;
        } catch (IOException e) {
            throw storageFull("read", e);
        }
    }

    /**
     * Seals the active segment and starts a new one. The sealed segment is forced and a
     * checkpoint written at the start of the new one, so recovery never reads a sealed segment.
     */
    private void roll() {
        LogSegment sealed = active;
        try {
            sealed.flush();
            LogSegment next = LogSegment.create(topic, dir, endOffset, config.indexIntervalBytes());
            segments.put(next.baseOffset(), next);
            active = next;
            writeRollCheckpoint(next);
            log.debug("Topic '{}': rolled to a new segment at offset {}", topic, next.baseOffset());
        } catch (IOException e) {
            throw storageFull("roll a segment of", e);
        }
    }

    private void writeRollCheckpoint(LogSegment next) {
        try {
            new Checkpoint(next.baseOffset(), 0, endOffset, lastTimestamp, producers.snapshot()).write(dir);
        } catch (IOException e) {
            // Only costs a longer scan at the next start; the flusher retries.
            log.warn("Topic '{}': cannot write the recovery checkpoint after a roll: {}", topic, e.toString());
        }
    }

    private long syncForGroupCommit() throws IOException {
        // Let appends on their way write first, so that this fsync covers them too: wait (briefly,
        // and not at all for a lone appender) until no append is in flight and none arrived.
        long deadline = System.nanoTime() + GROUP_COMMIT_MAX_WAIT_NANOS;
        long seen = writtenBytes;
        while (System.nanoTime() < deadline) {
            Thread.yield();
            long now = writtenBytes;
            if (now == seen && appendsInFlight.get() == 0) {
                break;
            }
            seen = now;
        }
        long mark = writtenBytes;
        long start = System.nanoTime();
        active.forceData();
        listener.onFlush(topic, System.nanoTime() - start);
        return mark;
    }

    private StorageFullException storageFull(String action, IOException e) {
        log.warn("Topic '{}': cannot {} the log in {}: {}", topic, action, dir, e.toString());
        return new StorageFullException("cannot " + action + " topic '" + topic + "': disk full or not writable", e);
    }

    // ---------------------------------------------------------------- read

    ReadResult read(long offset, int maxRecords, int maxBytes) {
        ensureOpen();
        long end = endOffset;
        long start = startOffset();
        if (offset < start || offset > end) {
            throw new OffsetOutOfRangeException(topic, offset, start, end);
        }
        ReadBatch batch = new ReadBatch(offset, end, maxRecords, maxBytes);
        Map.Entry<Long, LogSegment> entry = segments.floorEntry(offset);
        if (entry == null) { // retention deleted the segment since the bounds were read
            throw new OffsetOutOfRangeException(topic, offset, startOffset(), endOffset);
        }
        try {
            while (entry != null && !batch.done()) {
                readSegment(entry.getValue(), batch);
                entry = segments.higherEntry(entry.getKey());
            }
        } catch (ClosedChannelException e) {
            throw closedDuringRead(offset, e);
        } catch (CorruptRecordException e) {
            log.error("Topic '{}': corrupt record at or after offset {} in {}: {}", topic, batch.next, dir, e.getMessage());
            throw new CorruptRecordException("topic '" + topic + "' has a corrupt record at offset " + batch.next
                    + ": " + e.getMessage());
        } catch (IOException e) {
            log.error("Topic '{}': reading {} failed", topic, dir, e);
            throw new StorageException("cannot read topic '" + topic + "'", e);
        }
        if (!batch.done()) {
            throw new CorruptRecordException("topic '" + topic + "' ends at offset " + batch.next + " before its end offset " + end);
        }
        return new ReadResult(batch.records, batch.next, start, end);
    }

    /** Adds the records of one segment from {@code batch.next} on, until the batch is done or the segment ends. */
    private static void readSegment(LogSegment segment, ReadBatch batch) throws IOException {
        RecordCursor cursor = new RecordCursor(segment.channel(), segment.lookup(batch.next), segment.size(),
                batch.bufferSize());
        try {
            while (!batch.done() && cursor.next()) {
                ByteBuffer buf = cursor.buffer();
                int pos = cursor.bufferPosition();
                long found = RecordFormat.offset(buf, pos);
                if (found >= batch.next) { // records before it are the scan from the index entry
                    if (found != batch.next) {
                        throw new CorruptRecordException("expected offset " + batch.next + " but found " + found);
                    }
                    batch.add(buf, pos);
                }
            }
        } catch (CorruptRecordException e) {
            throw new CorruptRecordException("segment " + segment.fileName() + ", position " + cursor.position() + ": "
                    + e.getMessage());
        }
    }

    /** The records of one read and its limits. Not thread-safe: one per read. */
    private static final class ReadBatch {

        final List<StoredRecord> records;
        final long end;
        final int maxRecords;
        final int maxBytes;
        long next;
        long valueBytes;
        boolean byteLimitReached;

        ReadBatch(long offset, long end, int maxRecords, int maxBytes) {
            this.records = new ArrayList<>((int) Math.min(maxRecords, Math.min(end - offset, 1024)));
            this.next = offset;
            this.end = end;
            this.maxRecords = maxRecords;
            this.maxBytes = maxBytes;
        }

        /** Past the first record, stop before the values would pass maxBytes. */
        void add(ByteBuffer buf, int pos) {
            int valueSize = RecordFormat.valueSize(buf, pos);
            if (!records.isEmpty() && valueBytes + valueSize > maxBytes) {
                byteLimitReached = true;
                return;
            }
            records.add(RecordFormat.decode(buf, pos));
            valueBytes += valueSize;
            next++;
        }

        boolean done() {
            return next >= end || records.size() >= maxRecords || byteLimitReached;
        }

        int bufferSize() {
            return (int) Math.min(64 * 1024, Math.max(4096, (long) maxRecords * 256));
        }
    }

    private StorageException closedDuringRead(long offset, ClosedChannelException e) {
        if (deleted) {
            return new TopicNotFoundException(topic);
        }
        if (Thread.currentThread().isInterrupted()) {
            return new StorageException("read of topic '" + topic + "' interrupted", e);
        }
        if (offset < startOffset()) { // retention deleted the segment under the reader
            return new OffsetOutOfRangeException(topic, offset, startOffset(), endOffset);
        }
        return new StorageException("topic '" + topic + "' is closed", e);
    }

    /** The offset of the first record with a timestamp at or after {@code timestampMs}, else the end offset. */
    long offsetForTime(long timestampMs) {
        ensureOpen();
        long end = endOffset;
        List<LogSegment> list = new ArrayList<>(segments.values());
        try {
            int lo = 0;
            int hi = list.size() - 1;
            int candidate = -1; // the last segment whose first record is older than the target
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (list.get(mid).firstTimestamp() < timestampMs) {
                    candidate = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            if (candidate < 0) {
                return Math.min(list.get(0).baseOffset(), end);
            }
            LogSegment segment = list.get(candidate);
            long from = segment.lookupTimeBefore(timestampMs);
            RecordCursor cursor = new RecordCursor(segment.channel(), segment.lookup(from), segment.size(), 64 * 1024);
            while (cursor.next()) {
                long offset = RecordFormat.offset(cursor.buffer(), cursor.bufferPosition());
                if (offset >= end) {
                    return end;
                }
                if (RecordFormat.timestamp(cursor.buffer(), cursor.bufferPosition()) >= timestampMs) {
                    return offset;
                }
            }
            return candidate + 1 < list.size() ? Math.min(list.get(candidate + 1).baseOffset(), end) : end;
        } catch (ClosedChannelException e) {
            throw closedDuringRead(startOffset(), e);
        } catch (IOException e) {
            throw new StorageException("cannot read topic '" + topic + "'", e);
        }
    }

    CompletableFuture<Boolean> awaitData(long offset, Duration timeout) {
        ensureOpen();
        return waiters.await(offset, timeout);
    }

    // ---------------------------------------------------------------- settings, stats

    TopicSettings overrides() {
        return overrides;
    }

    void setOverrides(TopicSettings overrides) {
        this.overrides = overrides;
    }

    /** The effective settings: overrides, else the broker defaults. */
    TopicSettings settings() {
        TopicSettings o = overrides;
        return new TopicSettings(o.retentionMs() != null ? o.retentionMs() : config.retentionMs(),
                o.retentionBytes() != null ? o.retentionBytes() : config.retentionBytes(),
                o.segmentBytes() != null ? o.segmentBytes() : config.segmentBytes());
    }

    TopicStats stats() {
        long end = endOffset;
        long size = 0;
        int count = 0;
        for (LogSegment s : segments.values()) {
            size += s.size();
            count++;
        }
        return new TopicStats(topic, Math.min(startOffset(), end), end, size, count, settings());
    }

    // ---------------------------------------------------------------- background work

    /**
     * Forces the active segment and writes a recovery checkpoint when anything changed since
     * the last one. Called by the flusher thread and on close.
     */
    void checkpoint() throws IOException {
        synchronized (checkpointLock) {
            LogSegment segment;
            Checkpoint checkpoint;
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                segment = active;
                checkpoint = new Checkpoint(segment.baseOffset(), segment.size(), endOffset, lastTimestamp,
                        producers.snapshot());
            } finally {
                lock.unlock();
            }
            if (checkpoint.equals(lastCheckpoint)) {
                return;
            }
            long start = System.nanoTime();
            segment.flush();
            listener.onFlush(topic, System.nanoTime() - start);
            checkpoint.write(dir);
            lastCheckpoint = checkpoint;
        }
    }

    /**
     * Deletes the oldest segments whose records are all older than the retention time, or while
     * the topic is over its retention size. The active segment is kept, except that a topic
     * whose every record expired rolls first so that its last segment can go too.
     */
    void applyRetention() {
        TopicSettings s = settings();
        long cutoff = clock.millis() - s.retentionMs();
        List<LogSegment> removed = new ArrayList<>();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (active.size() > 0 && lastTimestamp < cutoff) {
                roll();
            }
            long total = 0;
            for (LogSegment seg : segments.values()) {
                total += seg.size();
            }
            while (segments.size() > 1) {
                LogSegment oldest = segments.firstEntry().getValue();
                LogSegment next = segments.higherEntry(oldest.baseOffset()).getValue();
                long newestInOldest = next.size() > 0 ? next.firstTimestamp() : lastTimestamp;
                boolean expired = newestInOldest < cutoff;
                boolean oversized = s.retentionBytes() >= 0 && total - oldest.size() >= s.retentionBytes();
                if (!expired && !oversized) {
                    break;
                }
                segments.remove(oldest.baseOffset());
                total -= oldest.size();
                removed.add(oldest);
            }
        } catch (IOException e) {
            log.warn("Topic '{}': retention could not read a segment: {}", topic, e.toString());
        } finally {
            lock.unlock();
        }
        deleteSegments(removed);
    }

    private void deleteSegments(List<LogSegment> removed) {
        if (removed.isEmpty()) {
            return;
        }
        long bytes = 0;
        for (LogSegment seg : removed) {
            bytes += seg.size();
            try {
                seg.delete();
            } catch (IOException e) {
                log.warn("Topic '{}': could not delete {}: {}", topic, seg.file(), e.toString());
            }
        }
        log.info("Topic '{}': retention deleted {} segment(s), {} bytes; start offset is now {}", topic,
                removed.size(), bytes, startOffset());
        listener.onRetention(topic, removed.size(), bytes);
    }

    // ---------------------------------------------------------------- lifecycle

    /** Writes a final checkpoint (a clean shutdown: the next start scans nothing) and closes. */
    void close() {
        synchronized (checkpointLock) {
            try {
                checkpoint();
            } catch (IOException e) {
                log.warn("Topic '{}': final checkpoint failed, the next start will scan the tail: {}", topic, e.toString());
            }
            closeSegments(false);
        }
    }

    /**
     * Closes without checkpoint for a topic being deleted; pending appends and waiters fail.
     * Waits for a checkpoint in progress, so that none is written into the directory after
     * this returns (a topic created again under the same name must not get it).
     */
    void closeForDelete() {
        synchronized (checkpointLock) {
            closeSegments(true);
        }
    }

    private void closeSegments(boolean forDelete) {
        lock.lock();
        try {
            deleted = forDelete;
            closed = true;
            segments.values().forEach(LogSegment::close);
        } finally {
            lock.unlock();
        }
        waiters.cancelAll();
    }

    private void ensureOpen() {
        if (deleted) {
            throw new TopicNotFoundException(topic);
        }
        if (closed) {
            throw new StorageException("the storage is closed");
        }
    }

}
