package io.minimq.common.api;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * One record of a produce request: {@code {"key": "node-a", "value": {...}, "headers": {...}}}.
 * {@code value} is any JSON value; {@code key} and {@code headers} may be null.
 */
public record ProduceRecord(String key, JsonNode value, Map<String, String> headers) {

    public ProduceRecord {
        headers = headers == null ? null : Map.copyOf(headers);
    }

    public static ProduceRecord of(String key, JsonNode value) {
        return new ProduceRecord(key, value, null);
    }
}
