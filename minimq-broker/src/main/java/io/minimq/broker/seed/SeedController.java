package io.minimq.broker.seed;

import io.minimq.broker.BrokerProperties;
import io.minimq.broker.api.Names;
import io.minimq.broker.api.ProduceRequestParser;
import io.minimq.broker.api.ProduceRequestParser.SeedMessage;
import io.minimq.broker.api.RecordAppender;
import io.minimq.broker.api.RequestBodies;
import io.minimq.broker.security.ClientRateLimiter;
import io.minimq.broker.storage.AppendResult;
import io.minimq.broker.storage.ReadResult;
import io.minimq.broker.storage.Storage;
import io.minimq.broker.storage.StoredRecord;
import io.minimq.broker.storage.TopicNotFoundException;
import io.minimq.broker.storage.TopicStats;
import io.minimq.broker.system.BrokerMetrics;
import io.minimq.common.api.ProduceResponse;
import io.minimq.common.api.SeedConsumeResponse;
import io.minimq.common.api.SeedProduceRequest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The original MiniMQ API, kept so that the prototype's producers and dashboard work unchanged:
 * {@code POST /produce}, {@code GET /consume}, {@code GET /nodes}. It sits on the same log and
 * the same committed offsets as {@code /v1}: a {@code consumer_id} is a consumer group.
 */
@RestController
@Tag(name = "prototype", description = "The original MiniMQ API (kept working)")
class SeedController {

    private final Storage storage;
    private final ProduceRequestParser parser;
    private final RecordAppender appender;
    private final NodeDirectory nodes;
    private final ClientRateLimiter rateLimiter;
    private final BrokerMetrics metrics;
    private final JsonFactory json = JsonFactory.builder().build();
    /** One lock per (consumer, topic): two concurrent /consume calls never get the same message. */
    private final ConcurrentHashMap<String, Object> consumeLocks = new ConcurrentHashMap<>();
    private final int maxRequestBytes;

    SeedController(Storage storage, ProduceRequestParser parser, RecordAppender appender, NodeDirectory nodes,
            ClientRateLimiter rateLimiter, BrokerMetrics metrics, BrokerProperties properties) {
        this.storage = storage;
        this.parser = parser;
        this.appender = appender;
        this.nodes = nodes;
        this.rateLimiter = rateLimiter;
        this.metrics = metrics;
        this.maxRequestBytes = properties.maxRequestBytesInt();
    }

    @Operation(summary = "Append one text message (stored as a JSON string value)",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(schema = @Schema(implementation = SeedProduceRequest.class))),
            responses = @ApiResponse(responseCode = "201", description = "appended",
                    content = @Content(schema = @Schema(implementation = ProduceResponse.class))))
    @PostMapping(path = "/produce", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ProduceResponse> produce(@Parameter(hidden = true) HttpServletRequest request) throws IOException {
        SeedMessage message = parser.parseSeedMessage(RequestBodies.read(request, maxRequestBytes));
        String topic = Names.topic(message.topic());
        rateLimiter.charge(request, 1);
        AppendResult result = appender.append(topic, List.of(message.record()), null);
        return ResponseEntity.status(HttpStatus.CREATED).body(new ProduceResponse(topic, List.of(result.baseOffset())));
    }

    @Operation(summary = "The consumer's next message; advances its committed offset by one",
            responses = {@ApiResponse(responseCode = "200",
                    content = @Content(schema = @Schema(implementation = SeedConsumeResponse.class))),
                @ApiResponse(responseCode = "204", description = "nothing new"),
                @ApiResponse(responseCode = "400", description = "missing parameter"),
                @ApiResponse(responseCode = "404", description = "unknown topic")})
    @GetMapping("/consume")
    ResponseEntity<SeedConsumeResponse> consume(@RequestParam String topic,
            @RequestParam(name = "consumer_id") String consumerId) {
        Names.topic(topic);
        Names.group(consumerId);
        synchronized (consumeLocks.computeIfAbsent(consumerId + '/' + topic, k -> new Object())) {
            TopicStats stats = storage.topic(topic).orElseThrow(() -> new TopicNotFoundException(topic));
            long committed = storage.committedOffset(consumerId, topic).orElse(stats.startOffset());
            long next = Math.max(committed, stats.startOffset());
            if (next >= stats.endOffset()) {
                return ResponseEntity.noContent().build();
            }
            ReadResult read = storage.read(topic, next, 1, maxRequestBytes);
            if (read.records().isEmpty()) {
                return ResponseEntity.noContent().build();
            }
            StoredRecord record = read.records().get(0);
            storage.commitOffset(consumerId, topic, record.offset() + 1);
            metrics.fetched(topic, 1);
            metrics.committed(consumerId, topic, record.offset() + 1);
            return ResponseEntity.ok(new SeedConsumeResponse(messageText(record.value()), record.offset()));
        }
    }

    @Operation(summary = "Node names registered on the 'nodes' topic, first seen first")
    @GetMapping("/nodes")
    List<String> nodes() {
        return nodes.nodes();
    }

    /** A JSON string value as its text; any other JSON value as its JSON text. */
    private String messageText(byte[] value) {
        try (JsonParser parser = json.createParser(ObjectReadContext.empty(), value)) {
            if (parser.nextToken() == JsonToken.VALUE_STRING) {
                return parser.getString();
            }
        }
        return new String(value, StandardCharsets.UTF_8);
    }
}
