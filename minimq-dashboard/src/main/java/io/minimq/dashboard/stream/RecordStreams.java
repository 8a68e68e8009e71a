package io.minimq.dashboard.stream;

import io.minimq.common.api.FetchResponse;
import io.minimq.dashboard.DashboardProperties;
import io.minimq.dashboard.broker.BrokerClient;
import io.minimq.dashboard.broker.UnknownTopicException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.http.codec.ServerSentEvent;
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

    static final String RECORD = "record";
    static final String SKIPPED = "skipped";

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

    /** {@link #events} as SSE: {@code event: record} / {@code event: skipped}, ids, heartbeats. */
    public Flux<ServerSentEvent<String>> sse(List<String> topics, Map<String, Long> resumeAfter, StartAt start,
            LagPolicy policy) {
        // Every topic's start is known before the first event, so every id names every topic:
        // a reconnect never falls back to `start` for a topic that was already being followed.
        Flux<ServerSentEvent<String>> events = startOffsets(topics, resumeAfter, start).flatMapMany(starts -> {
            Map<String, Long> positions = new LinkedHashMap<>();
            starts.forEach((topic, first) -> positions.put(topic, first - 1));
            return follow(starts, policy).mapNotNull(event -> toSse(event, positions));
        });
        ServerSentEvent<String> hello = ServerSentEvent.<String>builder()
                .comment("minimq stream of " + String.join(",", topics))
                .retry(Duration.ofSeconds(1))
                .build();
        Flux<ServerSentEvent<String>> heartbeats = Flux.interval(properties.heartbeat())
                .onBackpressureDrop()
                .map(tick -> ServerSentEvent.<String>builder().comment("heartbeat").build());
        return Flux.just(hello).concatWith(Flux.merge(events, heartbeats))
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

    private ServerSentEvent<String> toSse(StreamEvent event, Map<String, Long> positions) {
        if (event instanceof StreamEvent.Delivered delivered) {
            positions.put(delivered.topic(), delivered.record().offset());
            return ServerSentEvent.builder(delivered.record().json())
                    .event(RECORD)
                    .id(StreamPosition.format(positions))
                    .build();
        }
        if (event instanceof StreamEvent.Skipped skipped) {
            positions.put(skipped.topic(), skipped.toOffset() - 1);
            this.skipped.increment(skipped.count());
            return ServerSentEvent.builder(json.writeValueAsString(new SkippedData(skipped.topic(),
                            skipped.fromOffset(), skipped.toOffset(), skipped.count())))
                    .event(SKIPPED)
                    .id(StreamPosition.format(positions))
                    .build();
        }
        StreamEvent.Started started = (StreamEvent.Started) event; // below the asked-for start only for a re-created topic
        positions.put(started.topic(), started.nextOffset() - 1);
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
