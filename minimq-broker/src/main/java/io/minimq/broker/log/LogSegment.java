package io.minimq.broker.log;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One segment of a topic: the {@code .log} file of records from {@code baseOffset} on, with its
 * offset and time indexes. Only the last (active) segment of a topic takes writes.
 *
 * <p>{@link #size()} is the visible size: bytes past it may be being written and are never
 * read. The writer publishes a new size only after the bytes are in the file.
 *
 * <p>Thread-safety: one writer (the owning {@link Log}'s append lock) and lock-free readers.
 * An interrupted reader closes a {@link FileChannel}; the segment then reopens it, so one
 * cancelled request never breaks the topic.
 */
final class LogSegment {

    private static final Logger log = LoggerFactory.getLogger(LogSegment.class);

    private final String topic;
    private final Path dir;
    private final long baseOffset;
    private final int indexIntervalBytes;
    private volatile FileChannel channel;
    private volatile long size;
    private volatile SparseIndex offsetIndex;
    private volatile SparseIndex timeIndex;
    /** Timestamp of the first record, read on demand; {@code Long.MIN_VALUE} = not read yet. */
    private volatile long firstTimestamp = Long.MIN_VALUE;
    private volatile boolean closed;

    private LogSegment(String topic, Path dir, long baseOffset, int indexIntervalBytes, FileChannel channel, long size,
            SparseIndex offsetIndex, SparseIndex timeIndex) {
        this.topic = topic;
        this.dir = dir;
        this.baseOffset = baseOffset;
        this.indexIntervalBytes = indexIntervalBytes;
        this.channel = channel;
        this.size = size;
        this.offsetIndex = offsetIndex;
        this.timeIndex = timeIndex;
    }

    /** Creates the files of a new, empty segment. */
    static LogSegment create(String topic, Path dir, long baseOffset, int indexIntervalBytes) throws IOException {
        FileChannel ch = FileChannel.open(LogFiles.logFile(dir, baseOffset), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        ch.truncate(0);
        SparseIndex offsets = SparseIndex.empty(SparseIndex.Kind.OFFSET, LogFiles.indexFile(dir, baseOffset));
        SparseIndex times = SparseIndex.empty(SparseIndex.Kind.TIME, LogFiles.timeIndexFile(dir, baseOffset));
        return new LogSegment(topic, dir, baseOffset, indexIntervalBytes, ch, 0, offsets, times);
    }

    /** Opens an existing segment; its indexes are loaded on first use (or given by recovery). */
    static LogSegment open(String topic, Path dir, long baseOffset, int indexIntervalBytes) throws IOException {
        FileChannel ch = FileChannel.open(LogFiles.logFile(dir, baseOffset), StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        return new LogSegment(topic, dir, baseOffset, indexIntervalBytes, ch, ch.size(), null, null);
    }

    String topic() {
        return topic;
    }

    long baseOffset() {
        return baseOffset;
    }

    long size() {
        return size;
    }

    Path file() {
        return LogFiles.logFile(dir, baseOffset);
    }

    String fileName() {
        return LogFiles.baseName(baseOffset) + LogFiles.LOG_SUFFIX;
    }

    /** An open channel on the log file, reopened when an interrupted thread closed it. */
    FileChannel channel() throws IOException {
        FileChannel ch = channel;
        if (ch.isOpen()) {
            return ch;
        }
        synchronized (this) {
            if (closed) {
                throw new ClosedChannelException();
            }
            if (!channel.isOpen()) {
                channel = FileChannel.open(file(), StandardOpenOption.READ, StandardOpenOption.WRITE);
            }
            return channel;
        }
    }

    /**
     * Writes bytes at the end of the visible data without publishing them. On failure the file
     * is cut back to the visible size (best effort: recovery would drop the partial bytes anyway).
     */
    void write(ByteBuffer data) throws IOException {
        long position = size;
        try {
            try {
                writeFully(data, position);
            } catch (ClosedChannelException e) {
                if (closed || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                // Another thread, interrupted inside a read, closed the shared channel: reopen, retry once.
                data.rewind();
                writeFully(data, position);
            }
        } catch (IOException e) {
            try {
                channel().truncate(position);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void writeFully(ByteBuffer data, long position) throws IOException {
        FileChannel ch = channel();
        while (data.hasRemaining()) {
            ch.write(data, position + data.position());
        }
    }

    /** Makes bytes written by {@link #write} visible to readers. Writer only. */
    void publish(long newSize) {
        size = newSize;
    }

    /** Adds index entries for a record at {@code position} when it is far enough from the last entry. Writer only. */
    void maybeIndex(long offset, long position, long timestamp) {
        SparseIndex offsets = offsetIndex();
        if (offsets.size() == 0 || position - offsets.lastValue() >= indexIntervalBytes) {
            int relative = (int) (offset - baseOffset);
            offsets.append(relative, (int) position);
            timeIndex().append(timestamp, relative);
        }
    }

    /** The byte position of the greatest indexed record at or before {@code offset}. */
    int lookup(long offset) {
        SparseIndex offsets = offsetIndex();
        int i = offsets.floor(offset - baseOffset);
        return i < 0 ? 0 : offsets.value(i);
    }

    /** The offset of the greatest time-index entry with a timestamp {@code < timestampMs}, else the base offset. */
    long lookupTimeBefore(long timestampMs) {
        SparseIndex times = timeIndex();
        int i = times.floor(timestampMs - 1);
        return i < 0 ? baseOffset : baseOffset + times.value(i);
    }

    /** The first record's timestamp, or {@code Long.MAX_VALUE} for an empty segment. */
    long firstTimestamp() throws IOException {
        long ts = firstTimestamp;
        if (ts != Long.MIN_VALUE) {
            return ts;
        }
        if (size == 0) {
            return Long.MAX_VALUE;
        }
        ByteBuffer buf = ByteBuffer.allocate(RecordFormat.TIMESTAMP_OFFSET + RecordFormat.TIMESTAMP_LENGTH);
        while (buf.hasRemaining()) {
            if (channel().read(buf, buf.position()) < 0) {
                throw new CorruptRecordException("segment " + fileName() + " of topic '" + topic + "' ends inside its first record");
            }
        }
        ts = RecordFormat.timestamp(buf, 0);
        firstTimestamp = ts;
        return ts;
    }

    /**
     * Truncates the file and the indexes to {@code position}, where the record with offset
     * {@code endOffset} started. Writer (or recovery) only.
     */
    void truncateTo(long position, long endOffset) throws IOException {
        channel().truncate(position);
        size = position;
        offsetIndex().truncateToValue(position);
        timeIndex().truncateToValue(endOffset - baseOffset);
        if (position == 0) {
            firstTimestamp = Long.MIN_VALUE;
        }
    }

    /** Forces the log file and writes and forces the indexes. */
    void flush() throws IOException {
        channel().force(false);
        SparseIndex offsets = offsetIndex;
        SparseIndex times = timeIndex;
        if (offsets != null) {
            offsets.flush();
        }
        if (times != null) {
            times.flush();
        }
    }

    /** Forces only the log file (group commit: the indexes are rebuilt from the log if lost). */
    void forceData() throws IOException {
        channel().force(false);
    }

    /** Installs indexes built by recovery. */
    void setIndexes(SparseIndex offsets, SparseIndex times) {
        this.offsetIndex = offsets;
        this.timeIndex = times;
    }

    SparseIndex offsetIndex() {
        SparseIndex index = offsetIndex;
        if (index == null) {
            loadIndexes();
            index = offsetIndex;
        }
        return index;
    }

    SparseIndex timeIndex() {
        SparseIndex index = timeIndex;
        if (index == null) {
            loadIndexes();
            index = timeIndex;
        }
        return index;
    }

    /** Loads the index files of a sealed segment, rebuilding them from the log when missing or not sane. */
    private synchronized void loadIndexes() {
        if (offsetIndex != null && timeIndex != null) {
            return;
        }
        try {
            SparseIndex offsets = SparseIndex.load(SparseIndex.Kind.OFFSET, LogFiles.indexFile(dir, baseOffset));
            SparseIndex times = SparseIndex.load(SparseIndex.Kind.TIME, LogFiles.timeIndexFile(dir, baseOffset));
            long currentSize = size;
            if (currentSize == 0 && offsets != null && times != null && offsets.size() == 0 && times.size() == 0) {
                this.offsetIndex = offsets;
                this.timeIndex = times;
                return;
            }
            if (offsets == null || times == null || !offsets.isSane(currentSize) || !times.isSane(Integer.MAX_VALUE)) {
                log.warn("Rebuilding the indexes of segment {} of topic '{}': index files missing or damaged",
                        file(), topic);
                rebuildIndexes(currentSize);
                return;
            }
            this.offsetIndex = offsets;
            this.timeIndex = times;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the indexes of " + file(), e);
        }
    }

    /** Scans the segment up to {@code limit} and writes fresh index files. */
    private void rebuildIndexes(long limit) throws IOException {
        SparseIndex offsets = SparseIndex.empty(SparseIndex.Kind.OFFSET, LogFiles.indexFile(dir, baseOffset));
        SparseIndex times = SparseIndex.empty(SparseIndex.Kind.TIME, LogFiles.timeIndexFile(dir, baseOffset));
        RecordCursor cursor = new RecordCursor(channel(), 0, limit, 64 * 1024);
        long lastIndexed = -1;
        try {
            while (cursor.next()) {
                if (lastIndexed < 0 || cursor.position() - lastIndexed >= indexIntervalBytes) {
                    ByteBuffer buf = cursor.buffer();
                    int relative = (int) (RecordFormat.offset(buf, cursor.bufferPosition()) - baseOffset);
                    offsets.append(relative, (int) cursor.position());
                    times.append(RecordFormat.timestamp(buf, cursor.bufferPosition()), relative);
                    lastIndexed = cursor.position();
                }
            }
        } catch (CorruptRecordException e) {
            // Keep the index up to the damage; a read reaching it fails with the same error.
            log.error("Segment {} of topic '{}' has a corrupt record at position {}: {}", file(), topic,
                    cursor.position(), e.getMessage());
        }
        offsets.rewrite();
        times.rewrite();
        this.offsetIndex = offsets;
        this.timeIndex = times;
    }

    synchronized void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("Closing {} failed", file(), e);
        }
    }

    /** Closes and deletes the segment's files. */
    void delete() throws IOException {
        close();
        Files.deleteIfExists(LogFiles.logFile(dir, baseOffset));
        Files.deleteIfExists(LogFiles.indexFile(dir, baseOffset));
        Files.deleteIfExists(LogFiles.timeIndexFile(dir, baseOffset));
    }

    @Override
    public String toString() {
        return "LogSegment[" + topic + "/" + fileName() + ", size=" + size + "]";
    }
}
