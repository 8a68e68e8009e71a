package io.minimq.broker.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Walks the records of a segment file between two byte positions, reading it in chunks and
 * checking each record's framing and CRC. {@link #next()} stops at the limit, at a torn record
 * (the bytes end inside it: {@link #torn()}), and throws {@link CorruptRecordException} at bytes
 * that are not a valid record.
 *
 * <p>Not thread-safe: one cursor per reader.
 */
final class RecordCursor {

    private final FileChannel channel;
    private final long limit;
    private ByteBuffer buf;
    /** File position of {@code buf[0]}. */
    private long bufStart;
    /** Valid bytes in {@code buf}. */
    private int bufLength;
    /** Position in {@code buf} of the current record, and its size (0 before the first). */
    private int pos;
    private int size;
    private boolean torn;

    RecordCursor(FileChannel channel, long start, long limit, int bufferSize) {
        this.channel = channel;
        this.limit = limit;
        this.buf = ByteBuffer.allocate((int) Math.max(RecordFormat.MIN_RECORD_SIZE, Math.min(bufferSize, limit - start)));
        this.bufStart = start;
    }

    /** Moves to the next record; false at the limit or at a torn record. */
    boolean next() throws IOException {
        pos += size;
        size = 0;
        if (bufStart + pos >= limit) {
            return false;
        }
        while (true) {
            int s = RecordFormat.check(buf, pos, bufLength - pos);
            if (s > 0) {
                size = s;
                return true;
            }
            if (bufStart + bufLength >= limit || !fill()) {
                torn = true;
                return false;
            }
        }
    }

    /** Reads more bytes after the current record; false when the file has no more before the limit. */
    private boolean fill() throws IOException {
        int remaining = bufLength - pos;
        int needed = remaining >= RecordFormat.LENGTH_LENGTH ? RecordFormat.size(buf, pos) : RecordFormat.MIN_RECORD_SIZE;
        if (needed > buf.capacity()) {
            ByteBuffer bigger = ByteBuffer.allocate(needed);
            System.arraycopy(buf.array(), pos, bigger.array(), 0, remaining);
            buf = bigger;
        } else if (pos > 0) {
            System.arraycopy(buf.array(), pos, buf.array(), 0, remaining);
        }
        bufStart += pos;
        pos = 0;
        bufLength = remaining;
        int want = (int) Math.min(buf.capacity() - bufLength, limit - (bufStart + bufLength));
        ByteBuffer dst = buf.duplicate().position(bufLength).limit(bufLength + want);
        int total = 0;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, bufStart + bufLength + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        bufLength += total;
        return total > 0;
    }

    ByteBuffer buffer() {
        return buf;
    }

    /** The current record's position in {@link #buffer()}. */
    int bufferPosition() {
        return pos;
    }

    /** The current record's position in the file. */
    long position() {
        return bufStart + pos;
    }

    int size() {
        return size;
    }

    /** The file position just after the current record (or where the walk stopped). */
    long endPosition() {
        return bufStart + pos + size;
    }

    /** True when the walk stopped because the bytes ended inside a record. */
    boolean torn() {
        return torn;
    }
}
