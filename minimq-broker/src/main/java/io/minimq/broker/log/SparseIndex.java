package io.minimq.broker.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A sparse, sorted index of one segment: entries of (key, value) with strictly increasing keys
 * and values, about one per {@link LogConfig#indexIntervalBytes()} of log. Two kinds exist:
 *
 * <ul>
 *   <li>the offset index ({@code .index}): key = offset relative to the segment's base (int32),
 *       value = byte position in the segment (int32), 8 bytes per entry;</li>
 *   <li>the time index ({@code .timeindex}): key = timestamp (int64), value = relative offset
 *       (int32), 12 bytes per entry.</li>
 * </ul>
 *
 * <p>Both always start with an entry for the segment's first record, so a floor lookup always
 * finds one. The entries live in memory; the file is a copy written at flush time, not
 * checksummed, and rebuilt from the log when it is missing or fails {@link #isSane}.
 *
 * <p>Thread-safety: one writer (under the log's append lock) and any number of lock-free
 * readers; an entry is published by the volatile {@code count} after it is stored.
 */
final class SparseIndex {

    enum Kind {
        OFFSET(4), TIME(8);

        final int keyBytes;

        Kind(int keyBytes) {
            this.keyBytes = keyBytes;
        }

        int entryBytes() {
            return keyBytes + 4;
        }
    }

    private final Kind kind;
    private final Path file;
    private volatile long[] keys;
    private volatile int[] values;
    private volatile int count;
    /** Entries [0, written) are in the file. Guarded by this. */
    private int written;

    private SparseIndex(Kind kind, Path file, long[] keys, int[] values, int count) {
        this.kind = kind;
        this.file = file;
        this.keys = keys;
        this.values = values;
        this.count = count;
        this.written = count;
    }

    static SparseIndex empty(Kind kind, Path file) {
        return new SparseIndex(kind, file, new long[64], new int[64], 0);
    }

    /** Reads the index file; a missing file or a size that is not a whole number of entries gives null. */
    static SparseIndex load(Kind kind, Path file) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length % kind.entryBytes() != 0) {
            return null;
        }
        int n = bytes.length / kind.entryBytes();
        long[] keys = new long[Math.max(64, n)];
        int[] values = new int[Math.max(64, n)];
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        for (int i = 0; i < n; i++) {
            keys[i] = kind == Kind.OFFSET ? buf.getInt() : buf.getLong();
            values[i] = buf.getInt();
        }
        return new SparseIndex(kind, file, keys, values, n);
    }

    Kind kind() {
        return kind;
    }

    int size() {
        return count;
    }

    long key(int i) {
        return keys[i];
    }

    int value(int i) {
        return values[i];
    }

    long lastKey() {
        int n = count;
        return n == 0 ? Long.MIN_VALUE : keys[n - 1];
    }

    int lastValue() {
        int n = count;
        return n == 0 ? -1 : values[n - 1];
    }

    /**
     * Keys and values strictly increasing, the first entry at (0, 0) for an offset index, every
     * value below {@code valueBound}: what the rest of the log assumes of an index it trusts.
     */
    boolean isSane(long valueBound) {
        int n = count;
        if (n == 0) {
            return false;
        }
        if (kind == Kind.OFFSET && (keys[0] != 0 || values[0] != 0)) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (values[i] < 0 || values[i] >= valueBound || (i > 0 && (keys[i] <= keys[i - 1] || values[i] <= values[i - 1]))) {
                return false;
            }
        }
        return true;
    }

    /** Appends an entry; keys and values must grow. Writer only. */
    void append(long key, int value) {
        int n = count;
        if (n > 0 && (key <= keys[n - 1] || value <= values[n - 1])) {
            return; // keep the index strictly increasing; a skipped entry only costs a longer scan
        }
        if (n == keys.length) {
            long[] k = Arrays.copyOf(keys, n * 2);
            int[] v = Arrays.copyOf(values, n * 2);
            keys = k;
            values = v;
        }
        keys[n] = key;
        values[n] = value;
        count = n + 1;
    }

    /** The index of the greatest entry whose key is {@code <= key}, or -1. Lock-free. */
    int floor(long key) {
        int n = count;
        long[] k = keys;
        int i = Arrays.binarySearch(k, 0, n, key);
        return i >= 0 ? i : -i - 2;
    }

    /** Drops the entries whose value is {@code >= valueBound} (recovery and failed appends). Writer only. */
    synchronized void truncateToValue(long valueBound) {
        int n = count;
        while (n > 0 && values[n - 1] >= valueBound) {
            n--;
        }
        count = n;
        written = Math.min(written, n);
    }

    /** Writes the entries not yet in the file, truncating it to the entries it should hold, and forces it. */
    synchronized void flush() throws IOException {
        int n = count;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long validBytes = (long) written * kind.entryBytes();
            if (ch.size() != validBytes) {
                ch.truncate(validBytes);
            }
            if (n > written) {
                ByteBuffer buf = ByteBuffer.allocate((n - written) * kind.entryBytes());
                for (int i = written; i < n; i++) {
                    if (kind == Kind.OFFSET) {
                        buf.putInt((int) keys[i]);
                    } else {
                        buf.putLong(keys[i]);
                    }
                    buf.putInt(values[i]);
                }
                buf.flip();
                while (buf.hasRemaining()) {
                    ch.write(buf, validBytes + buf.position());
                }
            }
            ch.force(false);
        }
        written = n;
    }

    /** Rewrites the whole file from memory (after a rebuild). */
    synchronized void rewrite() throws IOException {
        written = 0;
        flush();
    }
}
