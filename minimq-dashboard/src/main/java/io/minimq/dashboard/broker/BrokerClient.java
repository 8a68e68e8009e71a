package io.minimq.dashboard.broker;

import io.minimq.common.api.FetchResponse;
import io.minimq.common.api.TopicInfo;
import io.minimq.dashboard.DashboardProperties;
import java.time.Duration;
import java.util.List;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.codec.json.JacksonJsonDecoder;
import org.springframework.http.codec.json.JacksonJsonEncoder;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.util.UriBuilder;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboard's only way to the broker: non-blocking calls to its HTTP API (HTTP-API.md) with
 * the configured bearer token. Errors come out as {@link BrokerException}s: 404 as
 * {@link UnknownTopicException}, 416 as {@link OffsetOutOfRangeException}, no answer at all as
 * status 502.
 *
 * <p>Thread-safe.
 */
@Component
public final class BrokerClient {

    /** A fetch of {@code fetch-limit} large records can be big; past this the fetch fails. */
    private static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final ParameterizedTypeReference<List<TopicInfo>> TOPIC_LIST = new ParameterizedTypeReference<>() {
    };

    private final WebClient web;

    public BrokerClient(DashboardProperties properties, JsonMapper json) {
        this.web = WebClient.builder()
                .baseUrl(properties.brokerUrl().toString())
                .defaultHeaders(headers -> {
                    if (properties.hasToken()) {
                        headers.setBearerAuth(properties.token());
                    }
                })
                .codecs(codecs -> {
                    codecs.defaultCodecs().jacksonJsonDecoder(new JacksonJsonDecoder(json));
                    codecs.defaultCodecs().jacksonJsonEncoder(new JacksonJsonEncoder(json));
                    codecs.defaultCodecs().maxInMemorySize(MAX_RESPONSE_BYTES);
                })
                .build();
    }

    /**
     * {@code GET /v1/topics/{topic}/records?offset=&limit=&maxWaitMs=}: records from {@code offset}
     * (a number, {@code earliest} or {@code latest}); with {@code maxWait > 0} a long poll.
     */
    public Mono<FetchResponse> fetch(String topic, String offset, int limit, Duration maxWait) {
        return fetch(topic, uri -> uri.queryParam("offset", offset), offset, limit, maxWait);
    }

    /** {@code GET /v1/topics/{topic}/records?fromTime=&limit=}: records appended at or after {@code fromTime}. */
    public Mono<FetchResponse> fetchFromTime(String topic, long fromTime, int limit) {
        return fetch(topic, uri -> uri.queryParam("fromTime", fromTime), "fromTime " + fromTime, limit, Duration.ZERO);
    }

    /** {@code GET /v1/topics}: every topic with its offsets and size. */
    public Mono<List<TopicInfo>> topics() {
        return web.get().uri("/v1/topics")
                .exchangeToMono(response -> ok(response) ? response.bodyToMono(TOPIC_LIST) : error(response, null, null))
                .timeout(REQUEST_TIMEOUT)
                .onErrorMap(BrokerClient::isConnectionProblem, e -> unreachable(e));
    }

    /** {@code GET /v1/topics/{topic}}: one topic with its offsets, size and config. */
    public Mono<TopicInfo> topic(String topic) {
        return web.get().uri("/v1/topics/{topic}", topic)
                .exchangeToMono(response -> ok(response)
                        ? response.bodyToMono(TopicInfo.class) : error(response, topic, null))
                .timeout(REQUEST_TIMEOUT)
                .onErrorMap(BrokerClient::isConnectionProblem, e -> unreachable(e));
    }

    private Mono<FetchResponse> fetch(String topic, java.util.function.Function<UriBuilder, UriBuilder> position,
            Object offset, int limit, Duration maxWait) {
        return web.get()
                .uri(uri -> position.apply(uri.path("/v1/topics/{topic}/records"))
                        .queryParam("limit", limit)
                        .queryParam("maxWaitMs", maxWait.toMillis())
                        .build(topic))
                .exchangeToMono(response -> ok(response)
                        ? response.bodyToMono(FetchResponse.class) : error(response, topic, offset))
                .timeout(maxWait.plus(REQUEST_TIMEOUT))
                .onErrorMap(BrokerClient::isConnectionProblem, e -> unreachable(e));
    }

    private static boolean ok(ClientResponse response) {
        return response.statusCode().is2xxSuccessful();
    }

    private static <T> Mono<T> error(ClientResponse response, String topic, Object offset) {
        HttpStatusCode status = response.statusCode();
        return response.bodyToMono(JsonNode.class)
                .onErrorResume(e -> Mono.empty())
                .defaultIfEmpty(tools.jackson.databind.node.NullNode.getInstance())
                .flatMap(problem -> Mono.error(toException(status.value(), problem, topic, offset)));
    }

    private static BrokerException toException(int status, JsonNode problem, String topic, Object offset) {
        if (status == 404 && topic != null) {
            return new UnknownTopicException(topic);
        }
        if (status == 416) {
            long start = problem.path("startOffset").asLong(0);
            long end = problem.path("endOffset").asLong(0);
            long requested = offset instanceof String s && s.matches("\\d+") ? Long.parseLong(s) : -1;
            return new OffsetOutOfRangeException(topic, requested, start, end);
        }
        String detail = problem.path("detail").asString(problem.path("title").asString(""));
        return new BrokerException(status, "broker answered " + status + (detail.isEmpty() ? "" : ": " + detail));
    }

    private static boolean isConnectionProblem(Throwable e) {
        return e instanceof WebClientRequestException || e instanceof java.util.concurrent.TimeoutException
                || e instanceof java.io.IOException;
    }

    private static BrokerException unreachable(Throwable cause) {
        boolean timedOut = cause instanceof java.util.concurrent.TimeoutException;
        return new BrokerException(timedOut ? "the broker did not answer in time" : "cannot connect to the broker", cause);
    }
}
