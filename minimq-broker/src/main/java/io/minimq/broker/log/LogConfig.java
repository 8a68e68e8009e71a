package io.minimq.broker.log;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link LogStorage}. {@code segmentBytes}, {@code retentionMs} and
 * {@code retentionBytes} are the broker defaults a topic may override (see
 * {@link io.minimq.broker.storage.TopicSettings}).
 *
 * @param dataDir                the directory holding one sub-directory per topic
 * @param segmentBytes           a segment is rolled before it would grow past this size
 * @param segmentMs              a segment is rolled once its first record is this old
 * @param retentionMs            whole segments whose records are all older than this are deleted
 * @param retentionBytes         oldest segments are deleted while the topic is larger; -1 = unlimited
 * @param flushPolicy            when appends are forced to the disk
 * @param flushInterval          how often the background flusher forces and checkpoints
 * @param indexIntervalBytes     bytes of log between two entries of the sparse indexes
 * @param retentionCheckInterval how often the background thread applies retention
 */
public record LogConfig(Path dataDir, long segmentBytes, long segmentMs, long retentionMs, long retentionBytes,
        FlushPolicy flushPolicy, Duration flushInterval, int indexIntervalBytes, Duration retentionCheckInterval) {

    public static final long DEFAULT_SEGMENT_BYTES = 64L * 1024 * 1024;
    public static final long DEFAULT_SEGMENT_MS = Duration.ofDays(7).toMillis();
    public static final long DEFAULT_RETENTION_MS = Duration.ofDays(7).toMillis();
    public static final int DEFAULT_INDEX_INTERVAL_BYTES = 4096;
    /** The smallest allowed segment: large enough for any realistic batch to fit a fresh one. */
    public static final long MIN_SEGMENT_BYTES = 1024;

    public LogConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(flushPolicy, "flushPolicy");
        requirePositive(flushInterval, "flushInterval");
        requirePositive(retentionCheckInterval, "retentionCheckInterval");
        if (segmentBytes < MIN_SEGMENT_BYTES || segmentBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("segmentBytes must be in [" + MIN_SEGMENT_BYTES + ", "
                    + Integer.MAX_VALUE + "], was " + segmentBytes);
        }
        if (segmentMs <= 0) {
            throw new IllegalArgumentException("segmentMs must be positive, was " + segmentMs);
        }
        if (retentionMs <= 0) {
            throw new IllegalArgumentException("retentionMs must be positive, was " + retentionMs);
        }
        if (retentionBytes < -1 || retentionBytes == 0) {
            throw new IllegalArgumentException("retentionBytes must be positive or -1 (unlimited), was " + retentionBytes);
        }
        if (indexIntervalBytes <= 0) {
            throw new IllegalArgumentException("indexIntervalBytes must be positive, was " + indexIntervalBytes);
        }
    }

    /** The documented defaults (SYSTEM.md, "Configuration") for a data directory. */
    public static LogConfig defaults(Path dataDir) {
        return new LogConfig(dataDir, DEFAULT_SEGMENT_BYTES, DEFAULT_SEGMENT_MS, DEFAULT_RETENTION_MS, -1,
                FlushPolicy.INTERVAL, Duration.ofSeconds(1), DEFAULT_INDEX_INTERVAL_BYTES, Duration.ofMinutes(1));
    }

    public LogConfig withSegmentBytes(long bytes) {
        return new LogConfig(dataDir, bytes, segmentMs, retentionMs, retentionBytes, flushPolicy, flushInterval,
                indexIntervalBytes, retentionCheckInterval);
    }

    public LogConfig withSegmentMs(long ms) {
        return new LogConfig(dataDir, segmentBytes, ms, retentionMs, retentionBytes, flushPolicy, flushInterval,
                indexIntervalBytes, retentionCheckInterval);
    }

    public LogConfig withRetention(long ms, long bytes) {
        return new LogConfig(dataDir, segmentBytes, segmentMs, ms, bytes, flushPolicy, flushInterval,
                indexIntervalBytes, retentionCheckInterval);
    }

    public LogConfig withFlush(FlushPolicy policy, Duration interval) {
        return new LogConfig(dataDir, segmentBytes, segmentMs, retentionMs, retentionBytes, policy, interval,
                indexIntervalBytes, retentionCheckInterval);
    }

    public LogConfig withIndexIntervalBytes(int bytes) {
        return new LogConfig(dataDir, segmentBytes, segmentMs, retentionMs, retentionBytes, flushPolicy, flushInterval,
                bytes, retentionCheckInterval);
    }

    public LogConfig withRetentionCheckInterval(Duration interval) {
        return new LogConfig(dataDir, segmentBytes, segmentMs, retentionMs, retentionBytes, flushPolicy, flushInterval,
                indexIntervalBytes, interval);
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + d);
        }
    }
}
