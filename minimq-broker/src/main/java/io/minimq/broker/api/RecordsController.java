package io.minimq.broker.api;

import io.minimq.broker.BrokerProperties;
import io.minimq.broker.security.ClientRateLimiter;
import io.minimq.broker.storage.ReadResult;
import io.minimq.broker.storage.Storage;
import io.minimq.broker.storage.TopicNotFoundException;
import io.minimq.broker.storage.TopicStats;
import io.minimq.broker.system.BrokerMetrics;
import io.minimq.common.api.ApiHeaders;
import io.minimq.common.api.FetchResponse;
import io.minimq.common.api.Problem;
import io.minimq.common.api.ProduceRequest;
import io.minimq.common.api.ProduceResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.Parameters;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.Executor;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Produce and fetch: the hot paths. Bodies are read as bytes (bounded) and parsed with the
 * streaming parser; answers are written with the streaming generator (see
 * {@link ProduceRequestParser} and {@link ResponseWriter}). A fetch with nothing to read and a
 * {@code maxWaitMs} becomes a long poll: the handler returns a future and its thread goes back
 * to the pool until {@link Storage#awaitData} completes.
 */
@RestController
@Tag(name = "records", description = "Produce and fetch records")
class RecordsController {

    private final Storage storage;
    private final ProduceHandler produceHandler;
    private final ResponseWriter writer;
    private final LongPolls longPolls;
    private final ClientRateLimiter rateLimiter;
    private final BrokerMetrics metrics;
    private final Executor answerExecutor;
    private final int maxRequestBytes;

    RecordsController(Storage storage, ProduceHandler produceHandler, ResponseWriter writer, LongPolls longPolls,
            ClientRateLimiter rateLimiter, BrokerMetrics metrics, @Qualifier("applicationTaskExecutor") Executor answerExecutor, BrokerProperties properties) {
        this.storage = storage;
        this.produceHandler = produceHandler;
        this.writer = writer;
        this.longPolls = longPolls;
        this.rateLimiter = rateLimiter;
        this.metrics = metrics;
        this.answerExecutor = answerExecutor;
        this.maxRequestBytes = properties.maxRequestBytesInt();
    }

    @Operation(summary = "Append records to a topic",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(schema = @Schema(implementation = ProduceRequest.class))),
            responses = {
                @ApiResponse(responseCode = "201", description = "appended",
                        content = @Content(schema = @Schema(implementation = ProduceResponse.class))),
                @ApiResponse(responseCode = "200", description = "idempotent retry: the original offsets",
                        content = @Content(schema = @Schema(implementation = ProduceResponse.class))),
                @ApiResponse(responseCode = "400", description = "invalid name, malformed JSON or wrong shape",
                        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class))),
                @ApiResponse(responseCode = "404", description = "unknown topic and auto-create is off"),
                @ApiResponse(responseCode = "409", description = "producer sequence lower than the last one seen"),
                @ApiResponse(responseCode = "413", description = "over max-request-bytes, max-record-bytes or max-records-per-request"),
                @ApiResponse(responseCode = "415", description = "not application/json"),
                @ApiResponse(responseCode = "507", description = "disk full; nothing appended")})
    @Parameters({
        @Parameter(name = ApiHeaders.PRODUCER_ID, in = ParameterIn.HEADER, description = "idempotent producer id",
                schema = @Schema(type = "string")),
        @Parameter(name = ApiHeaders.PRODUCER_SEQ, in = ParameterIn.HEADER, description = "idempotent producer sequence",
                schema = @Schema(type = "string"))})
    @PostMapping(path = "/v1/topics/{topic}/records", consumes = MediaType.APPLICATION_JSON_VALUE)
    void produce(@PathVariable String topic,
            @Parameter(hidden = true) HttpServletRequest request,
            @Parameter(hidden = true) HttpServletResponse response) throws IOException {
        // Plain JSON produces never get here: ProduceFilter serves them below Spring MVC. This
        // mapping describes the endpoint (OpenAPI), refuses what is not JSON (415) and serves
        // the JSON content types that filter leaves to Spring's media-type matching.
        produceHandler.produce(topic, request, response);
    }

    @Operation(summary = "Read records from an offset, an end of the log or a time; optionally wait for them",
            responses = {
                @ApiResponse(responseCode = "200", description = "records (maybe none)",
                        content = @Content(schema = @Schema(implementation = FetchResponse.class))),
                @ApiResponse(responseCode = "400", description = "bad parameter",
                        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class))),
                @ApiResponse(responseCode = "404", description = "unknown topic"),
                @ApiResponse(responseCode = "416", description = "offset outside [startOffset, endOffset]")})
    @GetMapping(path = "/v1/topics/{topic}/records")
    Object fetch(@PathVariable String topic,
            @Parameter(description = "a number, earliest or latest", schema = @Schema(type = "string", defaultValue = "earliest"))
            @RequestParam(required = false) String offset,
            @Parameter(description = "epoch ms; start at the first record at or after it", schema = @Schema(type = "integer", format = "int64"))
            @RequestParam(required = false) String fromTime,
            @Parameter(description = "1..10000", schema = @Schema(type = "integer", defaultValue = "100"))
            @RequestParam(required = false) String limit,
            @Parameter(description = "0..30000: wait this long for a first record", schema = @Schema(type = "integer", defaultValue = "0"))
            @RequestParam(required = false) String maxWaitMs,
            @Parameter(hidden = true) HttpServletRequest request,
            @Parameter(hidden = true) HttpServletResponse response) throws IOException {
        Names.topic(topic);
        FetchQuery query = FetchQuery.parse(offset, fromTime, limit, maxWaitMs);
        long start = startOffset(topic, query);
        ReadResult result = storage.read(topic, start, query.limit(), maxRequestBytes);
        if (result.records().isEmpty() && !query.maxWait().isZero()) {
            // long poll: the thread is released; the answer is rendered when data (or the deadline) comes
            return longPolls.await(topic, start, query.maxWait())
                    .thenApplyAsync(ready -> deferredAnswer(topic, start, query, request), answerExecutor);
        }
        count(topic, result, request);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        writer.writeFetched(topic, result, response.getOutputStream());
        return null;
    }

    private ResponseEntity<byte[]> deferredAnswer(String topic, long start, FetchQuery query, HttpServletRequest request) {
        ReadResult result = storage.read(topic, start, query.limit(), maxRequestBytes);
        count(topic, result, request);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(writer.fetched(topic, result));
    }

    private void count(String topic, ReadResult result, HttpServletRequest request) {
        int count = result.records().size();
        if (count > 0) {
            metrics.fetched(topic, count);
            rateLimiter.chargeAfterTheFact(request, count - 1);
        }
    }

    private long startOffset(String topic, FetchQuery query) {
        return switch (query.start()) {
            case OFFSET -> query.value();
            case TIME -> storage.offsetForTime(topic, query.value());
            case EARLIEST -> stats(topic).startOffset();
            case LATEST -> stats(topic).endOffset();
        };
    }

    private TopicStats stats(String topic) {
        return storage.topic(topic).orElseThrow(() -> new TopicNotFoundException(topic));
    }
}
