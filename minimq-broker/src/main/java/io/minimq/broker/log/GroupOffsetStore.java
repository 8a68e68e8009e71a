package io.minimq.broker.log;

import io.minimq.broker.storage.StorageFullException;
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
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * Committed consumer-group offsets, kept in {@code <data-dir>/__consumer_offsets/offsets.log}:
 * an append-only file of entries, each {@code int32 length, int32 CRC-32C (of the rest),
 * int32 + UTF-8 group, int32 + UTF-8 topic, int64 offset} (offset -1 removes the entry).
 * A commit is written before it returns, so it survives kill -9; it is forced at once under
 * {@link FlushPolicy#ALWAYS}, else by the flusher. On open the file is read up to its first
 * bad entry and rewritten with only the live entries; it is rewritten again when it grows to
 * several times that.
 *
 * <p>Thread-safe: reads are lock-free, writes serialised by a {@link ReentrantLock} (which, unlike
 * {@code synchronized}, does not pin a virtual thread to its carrier during an fsync).
 */
final class GroupOffsetStore implements AutoCloseable {

    static final String DIR = "__consumer_offsets";
    private static final Logger log = LoggerFactory.getLogger(GroupOffsetStore.class);
    private static final String FILE = "offsets.log";
    private static final long TOMBSTONE = -1;
    /** CRC, two one-byte names with their lengths, the offset. */
    private static final int MIN_ENTRY_LENGTH = 4 + 4 + 1 + 4 + 1 + 8;

    private final Path dir;
    private final boolean forceEachCommit;
    private final Map<String, Map<String, Long>> offsets = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private FileChannel channel;
    private long size;
    private long entries;
    private boolean dirty;

    GroupOffsetStore(Path dataDir, boolean forceEachCommit) throws IOException {
        this.dir = dataDir.resolve(DIR);
        this.forceEachCommit = forceEachCommit;
        Files.createDirectories(dir);
        load();
        compact();
    }

    OptionalLong committed(String group, String topic) {
        Long offset = offsets.getOrDefault(group, Map.of()).get(topic);
        return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
    }

    Map<String, Long> committed(String group) {
        return Collections.unmodifiableMap(new TreeMap<>(offsets.getOrDefault(group, Map.of())));
    }

    /** Groups with at least one offset (deleting a topic can leave a group with none). */
    List<String> groups() {
        return offsets.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey).sorted().toList();
    }

    void commit(String group, String topic, long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, was " + offset);
        }
        lock.lock();
        try {
            write(group, topic, offset);
            offsets.computeIfAbsent(group, g -> new ConcurrentHashMap<>()).put(topic, offset);
            maybeCompact();
        } finally {
            lock.unlock();
        }
    }

    /** Forgets every group's offset for a deleted topic. */
    void deleteTopic(String topic) {
        lock.lock();
        try {
            for (Map.Entry<String, Map<String, Long>> e : offsets.entrySet()) {
                if (e.getValue().containsKey(topic)) {
                    write(e.getKey(), topic, TOMBSTONE);
                    e.getValue().remove(topic);
                }
            }
            offsets.values().removeIf(Map::isEmpty);
        } finally {
            lock.unlock();
        }
    }

    /** Forces commits written since the last flush (the flusher calls this under {@link FlushPolicy#INTERVAL}). */
    void flush() throws IOException {
        lock.lock();
        try {
            if (dirty) {
                channel.force(false);
                dirty = false;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            flush();
            channel.close();
        } finally {
            lock.unlock();
        }
    }

    private void write(String group, String topic, long offset) {
        ByteBuffer entry = encode(group, topic, offset);
        try {
            while (entry.hasRemaining()) {
                channel.write(entry, size + entry.position());
            }
            if (forceEachCommit) {
                channel.force(false);
            } else {
                dirty = true;
            }
        } catch (IOException e) {
            try {
                channel.truncate(size);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            log.warn("Cannot write a committed offset to {}: {}", dir, e.toString());
            throw new StorageFullException("cannot store the committed offset: disk full or not writable", e);
        }
        size += entry.limit();
        entries++;
    }

    private static ByteBuffer encode(String group, String topic, long offset) {
        byte[] g = group.getBytes(StandardCharsets.UTF_8);
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(4 + 4 + 4 + g.length + 4 + t.length + 8);
        buf.putInt(buf.capacity() - 4).putInt(0).putInt(g.length).put(g).putInt(t.length).put(t).putLong(offset);
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 8, buf.capacity() - 8);
        buf.putInt(4, (int) crc.getValue());
        return buf.flip();
    }

    private void load() throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return;
        }
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file));
        int valid = 0;
        while (buf.remaining() >= 8) {
            int length = buf.getInt(valid);
            if (length < MIN_ENTRY_LENGTH || length > buf.limit() - valid - 4) {
                break;
            }
            CRC32C crc = new CRC32C();
            crc.update(buf.array(), valid + 8, length - 4);
            if ((int) crc.getValue() != buf.getInt(valid + 4)) {
                break;
            }
            buf.position(valid + 8);
            String group = readString(buf);
            String topic = readString(buf);
            long offset = buf.getLong();
            if (offset == TOMBSTONE) {
                Map<String, Long> topics = offsets.get(group);
                if (topics != null) {
                    topics.remove(topic);
                }
            } else {
                offsets.computeIfAbsent(group, k -> new ConcurrentHashMap<>()).put(topic, offset);
            }
            valid += 4 + length;
            buf.position(valid);
        }
        offsets.values().removeIf(Map::isEmpty);
        if (valid < buf.limit()) {
            log.warn("Committed offsets file {}: dropped {} bytes of a torn or corrupt tail", file, buf.limit() - valid);
        }
    }

    private static String readString(ByteBuffer buf) {
        byte[] bytes = new byte[buf.getInt()];
        buf.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private void maybeCompact() {
        long live = offsets.values().stream().mapToLong(Map::size).sum();
        if (entries > 10_000 && entries > 4 * live) {
            try {
                compact();
            } catch (IOException e) {
                log.warn("Cannot compact the committed offsets in {}: {}", dir, e.toString());
            }
        }
    }

    /** Rewrites the file with one entry per live (group, topic) and reopens it for appends. */
    private void compact() throws IOException {
        Path tmp = dir.resolve(FILE + LogFiles.TMP_SUFFIX);
        Map<String, Map<String, Long>> snapshot = new HashMap<>(offsets);
        long written = 0;
        long count = 0;
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (Map.Entry<String, Map<String, Long>> g : snapshot.entrySet()) {
                for (Map.Entry<String, Long> t : g.getValue().entrySet()) {
                    ByteBuffer entry = encode(g.getKey(), t.getKey(), t.getValue());
                    while (entry.hasRemaining()) {
                        written += out.write(entry);
                    }
                    count++;
                }
            }
            out.force(true);
        }
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        FileChannel old = channel;
        channel = FileChannel.open(dir.resolve(FILE), StandardOpenOption.READ, StandardOpenOption.WRITE);
        if (old != null) {
            old.close();
        }
        size = written;
        entries = count;
        dirty = false;
    }
}
