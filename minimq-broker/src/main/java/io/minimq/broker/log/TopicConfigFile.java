package io.minimq.broker.log;

import io.minimq.broker.storage.TopicSettings;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;

/**
 * A topic's settings overrides, kept beside its segments in {@code topic.properties}
 * ({@code retention.ms}, {@code retention.bytes}, {@code segment.bytes}); a missing key means
 * the broker default. Written to a temporary file and renamed, so it is never half-written.
 */
final class TopicConfigFile {

    private static final String RETENTION_MS = "retention.ms";
    private static final String RETENTION_BYTES = "retention.bytes";
    private static final String SEGMENT_BYTES = "segment.bytes";

    private TopicConfigFile() {
    }

    static TopicSettings read(Path dir) throws IOException {
        Path file = dir.resolve(LogFiles.TOPIC_CONFIG_FILE);
        if (!Files.exists(file)) {
            return TopicSettings.DEFAULTS_ONLY;
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        return new TopicSettings(longOrNull(p, RETENTION_MS), longOrNull(p, RETENTION_BYTES), longOrNull(p, SEGMENT_BYTES));
    }

    static void write(Path dir, TopicSettings overrides) throws IOException {
        Properties p = new Properties();
        put(p, RETENTION_MS, overrides.retentionMs());
        put(p, RETENTION_BYTES, overrides.retentionBytes());
        put(p, SEGMENT_BYTES, overrides.segmentBytes());
        Path tmp = dir.resolve(LogFiles.TOPIC_CONFIG_FILE + LogFiles.TMP_SUFFIX);
        try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(out, "MiniMQ topic settings that override the broker defaults");
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, dir.resolve(LogFiles.TOPIC_CONFIG_FILE), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** Fields of {@code update} that are set replace those of {@code current}. */
    static TopicSettings merge(TopicSettings current, TopicSettings update) {
        return new TopicSettings(update.retentionMs() != null ? update.retentionMs() : current.retentionMs(),
                update.retentionBytes() != null ? update.retentionBytes() : current.retentionBytes(),
                update.segmentBytes() != null ? update.segmentBytes() : current.segmentBytes());
    }

    /** Throws when a set field is out of range. */
    static void validate(TopicSettings s) {
        if (s.retentionMs() != null && s.retentionMs() <= 0) {
            throw new IllegalArgumentException("retentionMs must be positive, was " + s.retentionMs());
        }
        if (s.retentionBytes() != null && s.retentionBytes() != -1 && s.retentionBytes() <= 0) {
            throw new IllegalArgumentException("retentionBytes must be positive or -1, was " + s.retentionBytes());
        }
        if (s.segmentBytes() != null && (s.segmentBytes() < LogConfig.MIN_SEGMENT_BYTES || s.segmentBytes() > Integer.MAX_VALUE)) {
            throw new IllegalArgumentException("segmentBytes must be in [" + LogConfig.MIN_SEGMENT_BYTES + ", "
                    + Integer.MAX_VALUE + "], was " + s.segmentBytes());
        }
    }

    private static Long longOrNull(Properties p, String key) {
        String v = p.getProperty(key);
        return v == null ? null : Long.valueOf(v.trim());
    }

    private static void put(Properties p, String key, Long value) {
        if (value != null) {
            p.setProperty(key, value.toString());
        }
    }
}
