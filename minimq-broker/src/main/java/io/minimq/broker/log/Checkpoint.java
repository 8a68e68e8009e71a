package io.minimq.broker.log;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * A topic's recovery checkpoint ({@code recovery.checkpoint}): everything up to
 * {@code position} of segment {@code segmentBase} was fsynced and is valid, the next offset
 * there is {@code nextOffset}, and the producer state at that point. Recovery starts its scan
 * here, which is what keeps start-up independent of the log's size.
 *
 * <p>File layout (big-endian): int32 version, int64 segmentBase, int64 position, int64
 * nextOffset, int64 lastTimestamp, int32 producer count, per producer (int32 length + UTF-8 id,
 * int64 seq, int64 baseOffset, int32 count), then int32 CRC-32C of all the bytes before it.
 * Written to a temporary file, forced and renamed over the old one.
 */
record Checkpoint(long segmentBase, long position, long nextOffset, long lastTimestamp,
        Map<String, ProducerState.Entry> producers) {

    private static final Logger log = LoggerFactory.getLogger(Checkpoint.class);
    private static final int VERSION = 1;
    /** version, segmentBase, position, nextOffset, lastTimestamp, producer count. */
    private static final int HEADER_BYTES = 4 + 8 + 8 + 8 + 8 + 4;

    /** The checkpoint in {@code dir}, or null when there is none or it is damaged (logged). */
    static Checkpoint read(Path dir, String topic) {
        Path file = dir.resolve(LogFiles.CHECKPOINT_FILE);
        if (!Files.exists(file)) {
            return null;
        }
        try {
            ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file));
            if (buf.remaining() < HEADER_BYTES + 4) {
                throw new IOException("too short: " + buf.remaining() + " bytes");
            }
            CRC32C crc = new CRC32C();
            crc.update(buf.array(), 0, buf.limit() - 4);
            if ((int) crc.getValue() != buf.getInt(buf.limit() - 4)) {
                throw new IOException("CRC mismatch");
            }
            if (buf.getInt() != VERSION) {
                throw new IOException("unknown version");
            }
            long segmentBase = buf.getLong();
            long position = buf.getLong();
            long nextOffset = buf.getLong();
            long lastTimestamp = buf.getLong();
            int n = buf.getInt();
            Map<String, ProducerState.Entry> producers = new HashMap<>();
            for (int i = 0; i < n; i++) {
                byte[] id = new byte[buf.getInt()];
                buf.get(id);
                producers.put(new String(id, StandardCharsets.UTF_8),
                        new ProducerState.Entry(buf.getLong(), buf.getLong(), buf.getInt()));
            }
            return new Checkpoint(segmentBase, position, nextOffset, lastTimestamp, producers);
        } catch (IOException | RuntimeException e) {
            log.warn("Ignoring the damaged recovery checkpoint {} of topic '{}': {}", file, topic, e.toString());
            return null;
        }
    }

    void write(Path dir) throws IOException {
        // One temporary file per writing thread: the flusher and a roll may both write one.
        Path tmp = dir.resolve(LogFiles.CHECKPOINT_FILE + "." + Thread.currentThread().getId() + LogFiles.TMP_SUFFIX);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = encode();
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        Files.move(tmp, dir.resolve(LogFiles.CHECKPOINT_FILE), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    private ByteBuffer encode() {
        int size = HEADER_BYTES + 4;
        for (String id : producers.keySet()) {
            size += 4 + id.getBytes(StandardCharsets.UTF_8).length + 20;
        }
        ByteBuffer buf = ByteBuffer.allocate(size);
        buf.putInt(VERSION).putLong(segmentBase).putLong(position).putLong(nextOffset).putLong(lastTimestamp);
        buf.putInt(producers.size());
        producers.forEach((id, e) -> {
            byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
            buf.putInt(bytes.length).put(bytes).putLong(e.seq()).putLong(e.baseOffset()).putInt(e.count());
        });
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, buf.position());
        buf.putInt((int) crc.getValue());
        return buf.flip();
    }
}
