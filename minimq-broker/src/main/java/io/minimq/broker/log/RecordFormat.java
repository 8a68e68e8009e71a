package io.minimq.broker.log;

import io.minimq.broker.storage.NewRecord;
import io.minimq.broker.storage.ProducerSeq;
import io.minimq.broker.storage.StoredRecord;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * How one record is laid out in a segment file. All integers are big-endian.
 *
 * <table>
 *   <caption>Record framing</caption>
 *   <tr><th>field</th><th>type</th><th>meaning</th></tr>
 *   <tr><td>length</td><td>int32</td><td>size of everything after this field</td></tr>
 *   <tr><td>crc</td><td>int32</td><td>CRC-32C of everything after this field</td></tr>
 *   <tr><td>magic</td><td>int8</td><td>format version, {@value #MAGIC}</td></tr>
 *   <tr><td>attributes</td><td>int8</td><td>bit 0: a producer section follows the headers</td></tr>
 *   <tr><td>offset</td><td>int64</td><td>the record's offset</td></tr>
 *   <tr><td>batchRemaining</td><td>int32</td><td>records that follow in the same batch; 0 ends the batch</td></tr>
 *   <tr><td>timestamp</td><td>int64</td><td>append time, epoch ms, never decreasing within a topic</td></tr>
 *   <tr><td>keyLength, key</td><td>int32, bytes</td><td>UTF-8; length -1 for a null key</td></tr>
 *   <tr><td>headerCount</td><td>int32</td><td>then per header: int32 length + UTF-8 name, int32 length + UTF-8 value</td></tr>
 *   <tr><td>producer</td><td>int32 length + UTF-8 id, int64 seq</td><td>only in the first record of an idempotent batch</td></tr>
 *   <tr><td>value</td><td>bytes</td><td>the rest of the record: UTF-8 JSON, as produced</td></tr>
 * </table>
 *
 * <p>A batch is the run of records from one with {@code batchRemaining = n} down to the one
 * with 0. Recovery keeps only whole batches, which is what makes a batch atomic.
 *
 * <p>Not instantiable; the static methods are thread-safe.
 */
final class RecordFormat {

    static final byte MAGIC = 1;
    static final int ATTR_PRODUCER = 1;

    static final int LENGTH_OFFSET = 0;
    static final int LENGTH_LENGTH = 4;
    static final int CRC_OFFSET = LENGTH_OFFSET + LENGTH_LENGTH;
    static final int CRC_LENGTH = 4;
    static final int MAGIC_OFFSET = CRC_OFFSET + CRC_LENGTH;
    static final int MAGIC_LENGTH = 1;
    static final int ATTRIBUTES_OFFSET = MAGIC_OFFSET + MAGIC_LENGTH;
    static final int ATTRIBUTES_LENGTH = 1;
    static final int OFFSET_OFFSET = ATTRIBUTES_OFFSET + ATTRIBUTES_LENGTH;
    static final int OFFSET_LENGTH = 8;
    static final int BATCH_REMAINING_OFFSET = OFFSET_OFFSET + OFFSET_LENGTH;
    static final int BATCH_REMAINING_LENGTH = 4;
    static final int TIMESTAMP_OFFSET = BATCH_REMAINING_OFFSET + BATCH_REMAINING_LENGTH;
    static final int TIMESTAMP_LENGTH = 8;
    static final int KEY_LENGTH_OFFSET = TIMESTAMP_OFFSET + TIMESTAMP_LENGTH;
    static final int KEY_LENGTH_LENGTH = 4;
    /** The smallest possible record: null key, no headers, no producer, empty value. */
    static final int MIN_RECORD_SIZE = KEY_LENGTH_OFFSET + KEY_LENGTH_LENGTH + 4;
    /** Sanity bound on one record, far above any request limit, so garbage lengths are caught. */
    static final int MAX_RECORD_SIZE = 256 * 1024 * 1024;

    private RecordFormat() {
    }

    /** The exact number of bytes {@link #write} will use; {@code key} is the record's key in UTF-8. */
    static int sizeOf(NewRecord record, byte[] key, ProducerSeq producer) {
        int size = MIN_RECORD_SIZE + (key == null ? 0 : key.length) + record.value().length;
        for (Map.Entry<String, String> h : record.headers().entrySet()) {
            size += 8 + utf8Length(h.getKey()) + utf8Length(h.getValue());
        }
        if (producer != null) {
            size += 4 + utf8Length(producer.producerId()) + 8;
        }
        return size;
    }

    /**
     * Writes one record at the buffer's position (which must have {@link #sizeOf} bytes left),
     * CRC included, and advances the position past it. {@code key} is the record's key in UTF-8
     * (encoded by the caller, which shares one array among the records of a batch with one key).
     */
    static void write(ByteBuffer buf, long offset, int batchRemaining, long timestamp, NewRecord record, byte[] key,
            ProducerSeq producer) {
        int start = buf.position();
        buf.putInt(0).putInt(0);
        buf.put(MAGIC).put((byte) (producer != null ? ATTR_PRODUCER : 0));
        buf.putLong(offset).putInt(batchRemaining).putLong(timestamp);
        putBytes(buf, key);
        buf.putInt(record.headers().size());
        for (Map.Entry<String, String> h : record.headers().entrySet()) {
            putString(buf, h.getKey());
            putString(buf, h.getValue());
        }
        if (producer != null) {
            putString(buf, producer.producerId());
            buf.putLong(producer.seq());
        }
        buf.put(record.value());
        int end = buf.position();
        buf.putInt(start + LENGTH_OFFSET, end - start - LENGTH_LENGTH);
        buf.putInt(start + CRC_OFFSET, crc(buf, start, end));
    }

    /** The CRC-32C of a record's bytes after its CRC field; {@code end} is the record's end. */
    static int crc(ByteBuffer buf, int start, int end) {
        CRC32C crc = new CRC32C();
        int from = start + MAGIC_OFFSET;
        crc.update(buf.array(), buf.arrayOffset() + from, end - from);
        return (int) crc.getValue();
    }

    /**
     * Checks the record at {@code pos}: returns its total size when {@code available} bytes hold
     * a whole record whose CRC matches, {@code 0} when the bytes end before the record does
     * (need more), and throws when the framing or the CRC is wrong.
     */
    static int check(ByteBuffer buf, int pos, int available) {
        if (available < LENGTH_LENGTH) {
            return 0;
        }
        int length = buf.getInt(pos + LENGTH_OFFSET);
        if (length < MIN_RECORD_SIZE - LENGTH_LENGTH || length > MAX_RECORD_SIZE) {
            throw new CorruptRecordException("record length " + length + " is impossible");
        }
        int size = LENGTH_LENGTH + length;
        if (available < size) {
            return 0;
        }
        int stored = buf.getInt(pos + CRC_OFFSET);
        int computed = crc(buf, pos, pos + size);
        if (stored != computed) {
            throw new CorruptRecordException(String.format("stored CRC %08x, computed %08x", stored, computed));
        }
        if (buf.get(pos + MAGIC_OFFSET) != MAGIC) {
            throw new CorruptRecordException("unknown magic " + buf.get(pos + MAGIC_OFFSET));
        }
        return size;
    }

    /** The size a record claims (from its length field); only meaningful after {@link #check}. */
    static int size(ByteBuffer buf, int pos) {
        return LENGTH_LENGTH + buf.getInt(pos + LENGTH_OFFSET);
    }

    static long offset(ByteBuffer buf, int pos) {
        return buf.getLong(pos + OFFSET_OFFSET);
    }

    static int batchRemaining(ByteBuffer buf, int pos) {
        return buf.getInt(pos + BATCH_REMAINING_OFFSET);
    }

    static long timestamp(ByteBuffer buf, int pos) {
        return buf.getLong(pos + TIMESTAMP_OFFSET);
    }

    static boolean hasProducer(ByteBuffer buf, int pos) {
        return (buf.get(pos + ATTRIBUTES_OFFSET) & ATTR_PRODUCER) != 0;
    }

    /** The size of the value of a checked record, without decoding anything. */
    static int valueSize(ByteBuffer buf, int pos) {
        return size(buf, pos) - (skipToValue(buf, pos) - pos);
    }

    /** The producer section of a checked record that {@link #hasProducer has one}. */
    static ProducerSeq producer(ByteBuffer buf, int pos) {
        int p = skipHeaders(buf, pos);
        int idLength = buf.getInt(p);
        String id = new String(buf.array(), buf.arrayOffset() + p + 4, idLength, StandardCharsets.UTF_8);
        return new ProducerSeq(id, buf.getLong(p + 4 + idLength));
    }

    /** Decodes a checked record. */
    static StoredRecord decode(ByteBuffer buf, int pos) {
        int p = pos + KEY_LENGTH_OFFSET;
        String key = getString(buf, p);
        p += 4 + Math.max(0, buf.getInt(p));
        int headerCount = buf.getInt(p);
        p += 4;
        Map<String, String> headers = Map.of();
        if (headerCount > 0) {
            Map<String, String> h = new LinkedHashMap<>();
            for (int i = 0; i < headerCount; i++) {
                String name = getString(buf, p);
                p += 4 + buf.getInt(p);
                h.put(name, getString(buf, p));
                p += 4 + buf.getInt(p);
            }
            headers = java.util.Collections.unmodifiableMap(h);
        }
        int valueStart = hasProducer(buf, pos) ? p + 4 + buf.getInt(p) + 8 : p;
        int end = pos + size(buf, pos);
        int from = buf.arrayOffset() + valueStart;
        byte[] value = Arrays.copyOfRange(buf.array(), from, from + end - valueStart);
        return new StoredRecord(offset(buf, pos), timestamp(buf, pos), key, headers, value);
    }

    private static int skipHeaders(ByteBuffer buf, int pos) {
        int p = pos + KEY_LENGTH_OFFSET;
        p += 4 + Math.max(0, buf.getInt(p));
        int headerCount = buf.getInt(p);
        p += 4;
        for (int i = 0; i < headerCount; i++) {
            p += 4 + buf.getInt(p);
            p += 4 + buf.getInt(p);
        }
        return p;
    }

    private static int skipToValue(ByteBuffer buf, int pos) {
        int p = skipHeaders(buf, pos);
        return hasProducer(buf, pos) ? p + 4 + buf.getInt(p) + 8 : p;
    }

    private static void putString(ByteBuffer buf, String s) {
        putBytes(buf, s == null ? null : s.getBytes(StandardCharsets.UTF_8));
    }

    /** A length-prefixed byte string; length -1 for null. */
    private static void putBytes(ByteBuffer buf, byte[] bytes) {
        if (bytes == null) {
            buf.putInt(-1);
            return;
        }
        buf.putInt(bytes.length).put(bytes);
    }

    private static String getString(ByteBuffer buf, int p) {
        int length = buf.getInt(p);
        return length < 0 ? null : new String(buf.array(), buf.arrayOffset() + p + 4, length, StandardCharsets.UTF_8);
    }

    /** UTF-8 length of a string without encoding it (0 for null: the -1 marker needs no bytes). */
    static int utf8Length(String s) {
        if (s == null) {
            return 0;
        }
        int length = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                length += 1;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                length += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                length += 1; // a lone surrogate: String.getBytes writes '?'
            } else {
                length += 3;
            }
        }
        return length;
    }
}
