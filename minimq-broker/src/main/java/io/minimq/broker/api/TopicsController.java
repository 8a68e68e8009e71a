package io.minimq.broker.api;

import io.minimq.broker.BrokerProperties;
import io.minimq.broker.log.LogConfig;
import io.minimq.broker.storage.Storage;
import io.minimq.broker.storage.TopicNotFoundException;
import io.minimq.broker.storage.TopicSettings;
import io.minimq.broker.storage.TopicStats;
import io.minimq.broker.system.BrokerMetrics;
import io.minimq.common.api.TopicConfig;
import io.minimq.common.api.TopicInfo;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.json.JsonMapper;

/** Topic list, stats and settings: {@code /v1/topics}. */
@RestController
@Tag(name = "topics", description = "List, inspect, create, configure and delete topics")
class TopicsController {

    private final Storage storage;
    private final BrokerMetrics metrics;
    private final JsonMapper settingsReader;
    private final int maxRequestBytes;

    TopicsController(Storage storage, BrokerMetrics metrics, JsonMapper mapper, BrokerProperties properties) {
        this.storage = storage;
        this.metrics = metrics;
        this.settingsReader = mapper.rebuild()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        this.maxRequestBytes = properties.maxRequestBytesInt();
    }

    @Operation(summary = "Every topic with its offsets and size")
    @GetMapping("/v1/topics")
    List<TopicInfo> list() {
        return storage.topics().stream().map(stats -> info(stats).withoutConfig()).toList();
    }

    @Operation(summary = "One topic with its offsets, size and settings",
            responses = {@ApiResponse(responseCode = "200"), @ApiResponse(responseCode = "404", description = "unknown topic")})
    @GetMapping("/v1/topics/{topic}")
    TopicInfo get(@PathVariable String topic) {
        Names.topic(topic);
        return info(storage.topic(topic).orElseThrow(() -> new TopicNotFoundException(topic)));
    }

    @Operation(summary = "Create a topic, or change its settings",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = false,
                    content = @Content(schema = @Schema(implementation = TopicConfig.class))),
            responses = {@ApiResponse(responseCode = "201", description = "created"),
                @ApiResponse(responseCode = "200", description = "updated")})
    @PutMapping("/v1/topics/{topic}")
    ResponseEntity<TopicInfo> put(@PathVariable String topic, @Parameter(hidden = true) HttpServletRequest request)
            throws IOException {
        Names.topic(topic);
        TopicSettings settings = settings(request);
        boolean created = storage.createOrUpdateTopic(topic, settings);
        TopicStats stats = storage.topic(topic).orElseThrow(() -> new TopicNotFoundException(topic));
        metrics.topicSeen(topic, stats.endOffset());
        return ResponseEntity.status(created ? HttpStatus.CREATED : HttpStatus.OK).body(info(stats));
    }

    @Operation(summary = "Delete a topic with its records and committed offsets",
            responses = {@ApiResponse(responseCode = "204"), @ApiResponse(responseCode = "404", description = "unknown topic")})
    @DeleteMapping("/v1/topics/{topic}")
    ResponseEntity<Void> delete(@PathVariable String topic) {
        Names.topic(topic);
        if (!storage.deleteTopic(topic)) {
            throw new TopicNotFoundException(topic);
        }
        metrics.topicDeleted(topic);
        return ResponseEntity.noContent().build();
    }

    /** The optional JSON body of a PUT; an absent or empty body means "defaults". */
    private TopicSettings settings(HttpServletRequest request) throws IOException {
        byte[] body = RequestBodies.read(request, maxRequestBytes);
        if (isBlank(body)) {
            return TopicSettings.DEFAULTS_ONLY;
        }
        if (!isJson(request.getContentType())) {
            throw new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type",
                    "a topic's settings are sent as application/json");
        }
        TopicConfig config;
        try {
            config = settingsReader.readValue(body, TopicConfig.class);
        } catch (JacksonException e) {
            throw ApiException.badRequest("Invalid request body",
                    "expected {\"retentionMs\", \"retentionBytes\", \"segmentBytes\"} as whole numbers");
        }
        if (config == null) {
            throw ApiException.badRequest("Invalid request body", "the body must be a JSON object");
        }
        return new TopicSettings(
                checkPositiveOrUnlimited("retentionMs", config.retentionMs()),
                checkPositiveOrUnlimited("retentionBytes", config.retentionBytes()),
                checkSegmentBytes(config.segmentBytes()));
    }

    private static Long checkPositiveOrUnlimited(String name, Long value) {
        if (value != null && value != -1 && value <= 0) {
            throw ApiException.badRequest("Invalid topic settings", name + " must be positive, or -1 for unlimited");
        }
        return value;
    }

    private static Long checkSegmentBytes(Long value) {
        if (value != null && (value < LogConfig.MIN_SEGMENT_BYTES || value > Integer.MAX_VALUE)) {
            throw ApiException.badRequest("Invalid topic settings",
                    "segmentBytes must be between " + LogConfig.MIN_SEGMENT_BYTES + " and " + Integer.MAX_VALUE);
        }
        return value;
    }

    private static boolean isJson(String contentType) {
        try {
            return contentType != null && MediaType.APPLICATION_JSON.isCompatibleWith(MediaType.parseMediaType(contentType));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    static TopicInfo info(TopicStats stats) {
        TopicSettings s = stats.settings();
        TopicConfig config = s == null ? null : new TopicConfig(s.retentionMs(), s.retentionBytes(), s.segmentBytes());
        return new TopicInfo(stats.name(), stats.startOffset(), stats.endOffset(), stats.sizeBytes(), stats.segments(), config);
    }
}
