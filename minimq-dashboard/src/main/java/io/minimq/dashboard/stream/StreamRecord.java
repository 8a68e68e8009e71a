package io.minimq.dashboard.stream;

import tools.jackson.databind.JsonNode;

/**
 * One broker record on its way to browsers. {@code json} is the SSE {@code data:} of the record
 * ({@code {"topic","offset","timestamp","key","headers","value"}}), encoded once and shared by
 * every subscriber.
 */
public record StreamRecord(String topic, long offset, long timestamp, String key, JsonNode value, String json) {
}
