package io.minimq.broker.system;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * The broker's own Prometheus metrics (HTTP-API.md, "Operations"; queried by
 * deploy/grafana/minimq.json):
 * <ul>
 * <li>{@code minimq_records_appended_total}, {@code minimq_bytes_appended_total},
 *     {@code minimq_records_fetched_total} (tag {@code topic})</li>
 * <li>{@code minimq_topic_end_offset} (gauge, tag {@code topic})</li>
 * <li>{@code minimq_group_lag} (gauge, tags {@code group}, {@code topic}): end offset minus
 *     committed offset, for the stored offsets (registered at start) and every commit since</li>
 * <li>{@code minimq_flush_seconds} (timer): how long each fsync of the log took</li>
 * <li>{@code minimq_append_seconds} (timer): how long appending one produce request's batch
 *     took, the wait for its fsync included under {@code flush=always}</li>
 * </ul>
 * Waiting long polls are {@code minimq_long_polls_waiting} (registered by the API's LongPolls).
 * Meters of a topic are created on first use and kept in a map, so the hot path does no
 * registry lookup. Thread-safe.
 */
@Component
public class BrokerMetrics {

    private final MeterRegistry registry;
    private final Timer flush;
    private final Timer append;
    private final ConcurrentMap<String, TopicMeters> topics = new ConcurrentHashMap<>();
    private final ConcurrentMap<GroupTopic, GroupLag> lags = new ConcurrentHashMap<>();

    public BrokerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.flush = Timer.builder("minimq.flush")
                .description("Time taken by one fsync of the log")
                .publishPercentileHistogram(false)
                .register(registry);
        this.append = Timer.builder("minimq.append")
                .description("Time taken to append one produce request's batch (and fsync it under flush=always)")
                .register(registry);
    }

    /** One produce request's batch was appended in {@code nanos}. */
    public void appendTook(long nanos) {
        append.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void appended(String topic, int records, long bytes, long endOffset) {
        TopicMeters meters = meters(topic);
        meters.appended.increment(records);
        meters.bytes.increment(bytes);
        meters.endOffset.accumulateAndGet(endOffset, Math::max);
    }

    public void fetched(String topic, int records) {
        meters(topic).fetched.increment(records);
    }

    /** A topic exists with this end offset (at start, or after a PUT). */
    public void topicSeen(String topic, long endOffset) {
        meters(topic).endOffset.accumulateAndGet(endOffset, Math::max);
    }

    public void topicDeleted(String topic) {
        TopicMeters meters = topics.remove(topic);
        if (meters != null) {
            registry.remove(meters.appended);
            registry.remove(meters.bytes);
            registry.remove(meters.fetched);
            registry.remove(meters.endOffsetGauge);
        }
        lags.entrySet().removeIf(entry -> {
            if (entry.getKey().topic().equals(topic)) {
                registry.remove(entry.getValue().gauge);
                return true;
            }
            return false;
        });
    }

    public void committed(String group, String topic, long offset) {
        lags.computeIfAbsent(new GroupTopic(group, topic), this::newLag).committed.set(offset);
    }

    public void flushed(long nanos) {
        flush.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void flushed(Duration duration) {
        flush.record(duration);
    }

    private TopicMeters meters(String topic) {
        TopicMeters meters = topics.get(topic);
        return meters != null ? meters : topics.computeIfAbsent(topic, this::newMeters);
    }

    private TopicMeters newMeters(String topic) {
        AtomicLong endOffset = new AtomicLong();
        return new TopicMeters(
                Counter.builder("minimq.records.appended").description("Records appended").tag("topic", topic).register(registry),
                Counter.builder("minimq.bytes.appended").description("Value bytes appended").tag("topic", topic).register(registry),
                Counter.builder("minimq.records.fetched").description("Records fetched").tag("topic", topic).register(registry),
                endOffset,
                Gauge.builder("minimq.topic.end.offset", endOffset, AtomicLong::get)
                        .description("Offset the next append to the topic will get").tag("topic", topic).register(registry));
    }

    private GroupLag newLag(GroupTopic key) {
        AtomicLong committed = new AtomicLong();
        Gauge gauge = Gauge.builder("minimq.group.lag", committed,
                        c -> Math.max(0, endOffset(key.topic()) - c.get()))
                .description("Records of the topic the group has not committed yet")
                .tags("group", key.group(), "topic", key.topic())
                .register(registry);
        return new GroupLag(committed, gauge);
    }

    private long endOffset(String topic) {
        TopicMeters meters = topics.get(topic);
        return meters == null ? 0 : meters.endOffset.get();
    }

    private record TopicMeters(Counter appended, Counter bytes, Counter fetched, AtomicLong endOffset,
            Gauge endOffsetGauge) {
    }

    private record GroupTopic(String group, String topic) {
    }

    private record GroupLag(AtomicLong committed, Gauge gauge) {
    }
}
