/**
 * The embedded storage back end: a durable, segmented, CRC-checked log per topic, in the
 * spirit of Apache Kafka's log. No Spring, HTTP or metrics library in here.
 *
 * <p>Reading order:
 * <ul>
 *   <li>{@link io.minimq.broker.log.LogStorage}: the {@link io.minimq.broker.storage.Storage}
 *       implementation, built from a {@link io.minimq.broker.log.LogConfig}, reporting to a
 *       {@link io.minimq.broker.log.LogListener}; owns the topics and the background threads.</li>
 *   <li>{@code Log}: one topic; appends (under one lock), lock-free reads, rolls, retention,
 *       checkpoints. {@code GroupCommit} shares fsyncs under {@code flush=always};
 *       {@code EndOffsetWaiters} completes long polls.</li>
 *   <li>{@code LogSegment}: one {@code .log} file with its {@code SparseIndex} offset and time
 *       indexes; {@code LogFiles} names them.</li>
 *   <li>{@code RecordFormat}: the framing of a record (a table in its javadoc);
 *       {@code RecordCursor} walks records in a file, checking each CRC.</li>
 *   <li>{@code LogLoader}: recovery at start-up, from the {@code Checkpoint} on.</li>
 *   <li>{@code ProducerState}: idempotent producers; {@code GroupOffsetStore}: committed
 *       consumer-group offsets; {@code TopicConfigFile}: per-topic settings.</li>
 * </ul>
 */
package io.minimq.broker.log;
