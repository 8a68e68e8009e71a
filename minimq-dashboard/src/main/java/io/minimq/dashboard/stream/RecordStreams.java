package io.minimq.dashboard.stream;

import io.minimq.common.api.FetchResponse;
import io.minimq.dashboard.DashboardProperties;
import io.minimq.dashboard.broker.BrokerClient;
import io.minimq.dashboard.broker.UnknownTopicException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds the server-sent event streams of docs/SYSTEM.md: the records of several topics merged
 * (each topic in offset order), every event with an {@code id:} holding every topic's position
 * ({@link StreamPosition}), and a comment at least every {@code heartbeat} so idle connections
 * stay open. Thread-safe; each stream keeps its own positions.
 */
@Component
public final class RecordStreams {

    /** How long a browser waits before it reconnects a dropped stream (the SSE {@code retry:} field). */
    static final Duration RECONNECT_AFTER = Duration.ofSeconds(1);
    private static final byte[] HEARTBEAT = ":heartbeat\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SKIPPED_PREFIX = "event:skipped\ndata:".getBytes(StandardCharsets.US_ASCII);

    private final TopicFollower follower;
    private final BrokerClient broker;
    private final DashboardProperties properties;
    private final JsonMapper json;

    private final AtomicInteger open = new AtomicInteger();
    private final Counter skipped;

    public RecordStreams(TopicFollower follower, BrokerClient broker, DashboardProperties properties,
            JsonMapper json, MeterRegistry meters) {
        this.follower = follower;
        this.broker = broker;
        this.properties = properties;
        this.json = json;
        Gauge.builder("minimq.dashboard.streams", open, AtomicInteger::get)
                .description("Server-sent event streams open to browsers and other clients")
                .register(meters);
        this.skipped = Counter.builder("minimq.dashboard.records.skipped")
                .description("Records a lagging live tail (lag=skip) jumped over, or retention deleted before they were read")
                .register(meters);
    }

    /**
     * The events of {@code topics}: a topic named in {@code resumeAfter} (a parsed
     * {@code Last-Event-ID}) starts right after that offset, any other at {@code start}.
     */
    public Flux<StreamEvent> events(List<String> topics, Map<String, Long> resumeAfter, StartAt start,
            LagPolicy policy) {
        return startOffsets(topics, resumeAfter, start).flatMapMany(starts -> follow(starts, policy));
    }

    /**
     * {@link #events} as the bytes of a {@code text/event-stream}: {@code event: record} /
     * {@code event: skipped} with ids, a first comment naming the topics, and heartbeats. A record's
     * frame is shared by every subscriber ({@link StreamRecord#frame()}); per subscriber and event
     * only its {@code id:} line is written, together with the frame into one buffer from
     * {@code buffers}. Whatever is queued for a connection goes out in one write and one flush
     * (Reactor Netty flushes when its queue drains), so a subscriber that is behind catches up in
     * large writes instead of one system call per event.
     */
    public Flux<DataBuffer> sse(List<String> topics, Map<String, Long> resumeAfter, StartAt start, LagPolicy policy,
            DataBufferFactory buffers) {
        // Every topic's start is known before the first event, so every id names every topic:
        // a reconnect never falls back to `start` for a topic that was already being followed.
        Flux<DataBuffer> events = startOffsets(topics, resumeAfter, start).flatMapMany(starts -> {
            Map<String, Long> positions = new LinkedHashMap<>();
            starts.forEach((topic, first) -> positions.put(topic, first - 1));
            EventIds ids = new EventIds(positions);
            return follow(starts, policy).mapNotNull(event -> toSse(event, ids, buffers));
        });
        byte[] hello = (":minimq stream of " + String.join(",", topics) + "\nretry:" + RECONNECT_AFTER.toMillis()
                + "\n\n").getBytes(StandardCharsets.UTF_8);
        Flux<DataBuffer> heartbeats = Flux.interval(properties.heartbeat())
                .onBackpressureDrop()
                .map(tick -> buffers.wrap(HEARTBEAT));
        return Flux.defer(() -> Flux.just(buffers.wrap(hello)))
                .concatWith(Flux.merge(events, heartbeats))
                .doOnSubscribe(subscription -> open.incrementAndGet())
                .doFinally(signal -> open.decrementAndGet());
    }

    private Flux<StreamEvent> follow(Map<String, Long> starts, LagPolicy policy) {
        return Flux.merge(starts.entrySet().stream()
                .map(entry -> follower.follow(entry.getKey(), entry.getValue(), policy))
                .toList());
    }

    /** The first offset to deliver of every topic, in the topics' order. */
    private Mono<Map<String, Long>> startOffsets(List<String> topics, Map<String, Long> resumeAfter, StartAt start) {
        return Flux.fromIterable(topics)
                .concatMap(topic -> startOffset(topic, resumeAfter.get(topic), start)
                        .map(first -> Map.entry(topic, first)))
                .collect(LinkedHashMap<String, Long>::new, (map, entry) -> map.put(entry.getKey(), entry.getValue()));
    }

    private DataBuffer toSse(StreamEvent event, EventIds ids, DataBufferFactory buffers) {
        if (event instanceof StreamEvent.Delivered delivered) {
            byte[] frame = delivered.record().frame();
            ids.set(delivered.topic(), delivered.record().offset());
            DataBuffer buffer = buffers.allocateBuffer(ids.maxLength() + frame.length);
            ids.writeTo(buffer);
            return buffer.write(frame);
        }
        if (event instanceof StreamEvent.Skipped skipped) {
            ids.set(skipped.topic(), skipped.toOffset() - 1);
            this.skipped.increment(skipped.count());
            byte[] data = json.writeValueAsBytes(new SkippedData(skipped.topic(), skipped.fromOffset(),
                    skipped.toOffset(), skipped.count()));
            DataBuffer buffer = buffers.allocateBuffer(ids.maxLength() + SKIPPED_PREFIX.length + data.length + 2);
            ids.writeTo(buffer);
            return buffer.write(SKIPPED_PREFIX).write(data).write(RecordEncoder.EVENT_END);
        }
        StreamEvent.Started started = (StreamEvent.Started) event; // below the asked-for start only for a re-created topic
        ids.set(started.topic(), started.nextOffset() - 1);
        return null;
    }

    /** The first offset to deliver of one topic. */
    private Mono<Long> startOffset(String topic, Long resumeAfter, StartAt start) {
        if (resumeAfter != null) {
            return Mono.just(resumeAfter + 1);
        }
        return switch (start.kind()) {
            case LIVE -> follower.liveEnd(topic);
            case OFFSET -> Mono.just(start.value());
            case TIME -> broker.fetchFromTime(topic, start.value(), 1)
                    .map(RecordStreams::firstOffset)
                    .onErrorResume(UnknownTopicException.class, e -> Mono.just(0L))
                    .retryWhen(Retry.backoff(Long.MAX_VALUE, properties.retryMin()).maxBackoff(properties.retryMax()));
        };
    }

    private static long firstOffset(FetchResponse response) {
        return response.records().isEmpty() ? response.endOffset() : response.records().get(0).offset();
    }

    /** The SSE {@code data:} of an {@code event: skipped}. */
    record SkippedData(String topic, long fromOffset, long toOffset, long count) {
    }
}
