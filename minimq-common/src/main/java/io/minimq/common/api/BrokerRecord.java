package io.minimq.common.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A record as the broker returns it:
 * {@code {"offset": 41, "timestamp": 1764860400123, "key": "node-a", "headers": {}, "value": {...}}}.
 * {@code timestamp} is epoch milliseconds set by the broker on append.
 */
@JsonPropertyOrder({"offset", "timestamp", "key", "headers", "value"})
@JsonInclude(JsonInclude.Include.ALWAYS)
public record BrokerRecord(long offset, long timestamp, String key, Map<String, String> headers, JsonNode value) {

    public BrokerRecord {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }
}
