package io.minimq.dashboard.stream;

import io.minimq.common.api.FetchResponse;
import io.minimq.dashboard.DashboardProperties;
import io.minimq.dashboard.broker.BrokerClient;
import io.minimq.dashboard.broker.UnknownTopicException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    public RecordStreams(TopicFollower follower, BrokerClient broker, DashboardProperties properties,
            JsonMapper json) {
        this.follower = follower;
        this.broker = broker;
        this.properties = properties;
        this.json = json;
    }

    /**
     * The events of {@code topics}: a topic named in {@code resumeAfter} (a parsed
     * {@code Last-Event-ID}) starts right after that offset, any other at {@code start}.
     */
    public Flux<StreamEvent> events(List<String> topics, Map<String, Long> resumeAfter, StartAt start,
            LagPolicy policy) {
        return Flux.merge(topics.stream()
                .map(topic -> startOffset(topic, resumeAfter.get(topic), start)
                        .flatMapMany(from -> follower.follow(topic, from, policy)))
                .toList());
    }

    /** {@link #events} as SSE: {@code event: record} / {@code event: skipped}, ids, heartbeats. */
    public Flux<ServerSentEvent<String>> sse(List<String> topics, Map<String, Long> resumeAfter, StartAt start,
            LagPolicy policy) {
        Flux<ServerSentEvent<String>> events = Flux.defer(() -> {
            Map<String, Long> positions = new LinkedHashMap<>();
            topics.forEach(topic -> {
                if (resumeAfter.containsKey(topic)) {
                    positions.put(topic, resumeAfter.get(topic));
                }
            });
            return events(topics, resumeAfter, start, policy)
                    .mapNotNull(event -> toSse(event, positions));
        });
        ServerSentEvent<String> hello = ServerSentEvent.<String>builder()
                .comment("minimq stream of " + String.join(",", topics))
                .retry(Duration.ofSeconds(1))
                .build();
        Flux<ServerSentEvent<String>> heartbeats = Flux.interval(properties.heartbeat())
                .onBackpressureDrop()
                .map(tick -> ServerSentEvent.<String>builder().comment("heartbeat").build());
        return Flux.just(hello).concatWith(Flux.merge(events, heartbeats));
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
            return ServerSentEvent.builder(json.writeValueAsString(new SkippedData(skipped.topic(),
                            skipped.fromOffset(), skipped.toOffset(), skipped.count())))
                    .event(SKIPPED)
                    .id(StreamPosition.format(positions))
                    .build();
        }
        StreamEvent.Started started = (StreamEvent.Started) event;
        positions.putIfAbsent(started.topic(), started.nextOffset() - 1);
        return null;
    }

    /** The first offset to deliver; {@link Long#MAX_VALUE} means the live end. */
    private Mono<Long> startOffset(String topic, Long resumeAfter, StartAt start) {
        if (resumeAfter != null) {
            return Mono.just(resumeAfter + 1);
        }
        return switch (start.kind()) {
            case LIVE -> Mono.just(Long.MAX_VALUE);
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
