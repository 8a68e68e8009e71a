package io.minimq.broker.group;

import io.minimq.broker.BrokerProperties;
import io.minimq.broker.api.ApiException;
import io.minimq.broker.api.Names;
import io.minimq.broker.api.RequestBodies;
import io.minimq.broker.storage.OffsetOutOfRangeException;
import io.minimq.broker.storage.Storage;
import io.minimq.broker.storage.TopicNotFoundException;
import io.minimq.broker.storage.TopicStats;
import io.minimq.broker.system.BrokerMetrics;
import io.minimq.common.api.GroupOffset;
import io.minimq.common.api.GroupOffsets;
import io.minimq.common.api.OffsetCommit;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Consumer groups' committed offsets: {@code /v1/groups/{group}/offsets}. An offset is the
 * next offset the group will read (Kafka's convention), so a group that has read everything
 * commits the topic's end offset and its lag is 0.
 */
@RestController
@Tag(name = "groups", description = "Consumer groups' committed offsets")
class GroupsController {

    private final Storage storage;
    private final BrokerMetrics metrics;
    private final JsonMapper commitReader;
    private final int maxRequestBytes;

    GroupsController(Storage storage, BrokerMetrics metrics, JsonMapper mapper, BrokerProperties properties) {
        this.storage = storage;
        this.metrics = metrics;
        this.commitReader = mapper.rebuild()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        this.maxRequestBytes = properties.maxRequestBytesInt();
    }

    @Operation(summary = "Commit a group's offset for a topic (durable)",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(schema = @Schema(implementation = OffsetCommit.class))),
            responses = {@ApiResponse(responseCode = "204", description = "committed"),
                @ApiResponse(responseCode = "404", description = "unknown topic"),
                @ApiResponse(responseCode = "416", description = "offset past the topic's end offset")})
    @PutMapping(path = "/v1/groups/{group}/offsets/{topic}", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Void> commit(@PathVariable String group, @PathVariable String topic,
            @Parameter(hidden = true) HttpServletRequest request) throws IOException {
        Names.group(group);
        Names.topic(topic);
        long offset = readOffset(RequestBodies.read(request, maxRequestBytes));
        TopicStats stats = storage.topic(topic).orElseThrow(() -> new TopicNotFoundException(topic));
        if (offset > stats.endOffset()) {
            throw new OffsetOutOfRangeException(topic, offset, stats.startOffset(), stats.endOffset());
        }
        storage.commitOffset(group, topic, offset);
        metrics.committed(group, topic, offset);
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "Every committed offset of a group")
    @GetMapping("/v1/groups/{group}/offsets")
    GroupOffsets offsets(@PathVariable String group) {
        Names.group(group);
        return new GroupOffsets(group, storage.committedOffsets(group));
    }

    @Operation(summary = "A group's committed offset for one topic",
            responses = {@ApiResponse(responseCode = "200"), @ApiResponse(responseCode = "404", description = "nothing committed")})
    @GetMapping("/v1/groups/{group}/offsets/{topic}")
    GroupOffset offset(@PathVariable String group, @PathVariable String topic) {
        Names.group(group);
        Names.topic(topic);
        long offset = storage.committedOffset(group, topic).orElseThrow(() -> ApiException.notFound(
                "Offset not found", "group '" + group + "' has committed no offset for topic '" + topic + "'"));
        return new GroupOffset(group, topic, offset);
    }

    private long readOffset(byte[] body) {
        OffsetCommit commit;
        try {
            commit = commitReader.readValue(body, OffsetCommit.class);
        } catch (JacksonException e) {
            throw ApiException.badRequest("Invalid request body", "expected {\"offset\": N} with a whole number N >= 0");
        }
        if (commit == null || commit.offset() == null || commit.offset() < 0) {
            throw ApiException.badRequest("Invalid request body", "expected {\"offset\": N} with a whole number N >= 0");
        }
        return commit.offset();
    }
}
