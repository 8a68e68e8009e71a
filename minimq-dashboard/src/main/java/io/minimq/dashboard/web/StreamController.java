package io.minimq.dashboard.web;

import io.minimq.common.TopicNames;
import io.minimq.common.Topics;
import io.minimq.common.api.TopicInfo;
import io.minimq.dashboard.broker.BrokerClient;
import io.minimq.dashboard.stream.LagPolicy;
import io.minimq.dashboard.stream.RecordStreams;
import io.minimq.dashboard.stream.StartAt;
import io.minimq.dashboard.stream.StreamPosition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The live streams of docs/SYSTEM.md as server-sent events. Every stream honours
 * {@code Last-Event-ID}: topics named in it resume right after the offset it gives; the others
 * start where {@code offset} / {@code fromTime} say, by default at the live end.
 */
@RestController
class StreamController {

    static final String LAST_EVENT_ID = "Last-Event-ID";
    private static final int MAX_TOPICS = 100;
    private static final Duration TOPIC_LIST_TIMEOUT = Duration.ofSeconds(3);

    private final RecordStreams streams;
    private final BrokerClient broker;

    StreamController(RecordStreams streams, BrokerClient broker) {
        this.streams = streams;
        this.broker = broker;
    }

    /** {@code GET /api/stream?topics=a,b}: several topics merged; default every {@code metrics.*} topic. */
    @GetMapping(path = "/api/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Mono<Void> stream(@RequestParam(required = false) String topics,
            @RequestParam(required = false) String offset, @RequestParam(required = false) Long fromTime,
            @RequestParam(defaultValue = "catch-up") String lag,
            @RequestHeader(name = LAST_EVENT_ID, required = false) String lastEventId, ServerHttpResponse response) {
        StartAt start = StartAt.parse(offset, fromTime, StartAt.live());
        LagPolicy policy = lagPolicy(lag);
        Map<String, Long> resume = StreamPosition.parse(lastEventId);
        Mono<List<String>> names = topics == null || topics.isBlank() ? metricsTopics() : Mono.just(parse(topics));
        return write(response, names.flatMapMany(list -> streams.sse(list, resume, start, policy,
                response.bufferFactory())));
    }

    /** {@code GET /api/topics/{topic}/stream?offset=N}: one topic; a tail that falls behind skips by default. */
    @GetMapping(path = "/api/topics/{topic}/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Mono<Void> topicStream(@PathVariable String topic,
            @RequestParam(required = false) String offset, @RequestParam(required = false) Long fromTime,
            @RequestParam(defaultValue = "skip") String lag,
            @RequestHeader(name = LAST_EVENT_ID, required = false) String lastEventId, ServerHttpResponse response) {
        TopicNames.validate(topic);
        StartAt start = StartAt.parse(offset, fromTime, StartAt.live());
        return write(response, streams.sse(List.of(topic), StreamPosition.parse(lastEventId), start, lagPolicy(lag),
                response.bufferFactory()));
    }

    /**
     * Streams already-encoded SSE bytes ({@link RecordStreams#sse}). {@code writeWith}, not the
     * SSE codec's write-and-flush per event: Reactor Netty writes what is queued and flushes once.
     * Buffers still queued in the operators when the client goes away are released.
     */
    private static Mono<Void> write(ServerHttpResponse response, Flux<DataBuffer> events) {
        response.getHeaders().setContentType(MediaType.TEXT_EVENT_STREAM);
        response.getHeaders().setCacheControl(CacheControl.noStore());
        return response.writeWith(events.doOnDiscard(DataBuffer.class, DataBufferUtils::release));
    }

    /** Every metrics topic the agents write plus any other {@code metrics.*} topic the broker has. */
    private Mono<List<String>> metricsTopics() {
        return broker.topics()
                .timeout(TOPIC_LIST_TIMEOUT)
                .map(existing -> {
                    Set<String> names = new LinkedHashSet<>(Topics.METRICS);
                    existing.stream().map(TopicInfo::name).filter(name -> name.startsWith(Topics.METRICS_PREFIX))
                            .sorted().forEach(names::add);
                    return List.copyOf(names);
                })
                .onErrorReturn(Topics.METRICS);
    }

    private static List<String> parse(String topics) {
        Set<String> names = new LinkedHashSet<>();
        for (String name : topics.split(",")) {
            if (!name.isBlank()) {
                names.add(TopicNames.validate(name.trim()));
            }
        }
        if (names.isEmpty() || names.size() > MAX_TOPICS) {
            throw new IllegalArgumentException("topics must name 1 to " + MAX_TOPICS + " topics, comma-separated");
        }
        return new ArrayList<>(names);
    }

    private static LagPolicy lagPolicy(String lag) {
        return switch (lag) {
            case "catch-up" -> LagPolicy.CATCH_UP;
            case "skip" -> LagPolicy.SKIP;
            default -> throw new IllegalArgumentException("lag must be 'catch-up' or 'skip', was '" + lag + "'");
        };
    }
}
