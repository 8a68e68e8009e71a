package io.minimq.broker.storage;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * A set of append-only topics with committed consumer-group offsets: the one interface between
 * the broker's HTTP layer and a storage back end. Implementations are thread-safe: any number
 * of producers and readers may call them concurrently, on the same topic too.
 *
 * <p>Topic and group names reaching this interface have already passed
 * {@link io.minimq.common.TopicNames#validate}; implementations still refuse anything that
 * could leave their data directory.
 */
public interface Storage extends AutoCloseable {

    /**
     * Appends a batch to a topic, atomically and contiguously: after a crash either every
     * record of the batch is there or none. Returns once the batch is durable under the flush
     * policy. Creates the topic when {@code createIfMissing} is set.
     *
     * @param producer the idempotent producer's id and sequence, or null for a plain append;
     *                 a (producer id, topic, seq) seen before returns the original offsets with
     *                 {@link AppendResult#duplicate()} set, a seq lower than the last one seen
     *                 throws {@link SequenceConflictException}
     * @throws TopicNotFoundException when the topic is absent and {@code createIfMissing} is false
     * @throws StorageFullException   when the disk is full or not writable; nothing was appended
     */
    AppendResult append(String topic, List<NewRecord> records, ProducerSeq producer, boolean createIfMissing);

    /**
     * Reads records in offset order starting at {@code offset}, at most {@code maxRecords} of
     * them and, past the first record, at most about {@code maxBytes} of values.
     *
     * @throws TopicNotFoundException     for an unknown topic
     * @throws OffsetOutOfRangeException when {@code offset} is below the start or above the end offset
     */
    ReadResult read(String topic, long offset, int maxRecords, int maxBytes);

    /** The offset of the first record whose timestamp is at or after {@code timestampMs}, or the end offset. */
    long offsetForTime(String topic, long timestampMs);

    /**
     * Completes when the topic's end offset passes {@code offset} (a record at {@code offset}
     * can be read) or when {@code timeout} elapses, whichever comes first; completes with
     * {@code true} when data is there. Holds no thread while waiting. Completes at once when
     * data is already there.
     */
    CompletableFuture<Boolean> awaitData(String topic, long offset, Duration timeout);

    /** The topic's offsets, size and settings, or empty when it does not exist. */
    Optional<TopicStats> topic(String topic);

    /** Every public topic (never internal {@code __} ones), sorted by name. */
    List<TopicStats> topics();

    /**
     * Creates a topic, or changes the settings of an existing one (null fields keep their value,
     * or the broker default for a new topic).
     *
     * @return true when the topic was created, false when it existed and was updated
     */
    boolean createOrUpdateTopic(String topic, TopicSettings settings);

    /** Deletes a topic with its records and its committed offsets; false when it did not exist. */
    boolean deleteTopic(String topic);

    /** Stores a group's committed offset for a topic, durably (it survives a restart and kill -9). */
    void commitOffset(String group, String topic, long offset);

    /** The group's committed offset for a topic, if any. */
    OptionalLong committedOffset(String group, String topic);

    /** Every committed offset of a group, by topic; empty when the group is unknown. */
    Map<String, Long> committedOffsets(String group);

    /** The names of the groups that have committed offsets, sorted. */
    List<String> groups();

    /** True once recovery has finished and the back end can take writes (readiness). */
    boolean isReady();

    /** Flushes and releases everything; the storage cannot be used afterwards. */
    @Override
    void close();
}
