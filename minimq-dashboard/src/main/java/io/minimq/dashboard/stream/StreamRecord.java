package io.minimq.dashboard.stream;

import tools.jackson.databind.JsonNode;

/**
 * One broker record on its way to browsers. {@code frame} is the record's server-sent event
 * without its {@code id:} line, as UTF-8 bytes: {@code event:record\ndata:{"topic","offset",
 * "timestamp","key","headers","value"}\n\n}. It is rendered once when the record is fetched and
 * shared, read-only, by every subscriber; only the {@code id:} line, which depends on where the
 * subscriber is in its other topics, is written per subscriber.
 */
public record StreamRecord(String topic, long offset, long timestamp, String key, JsonNode value, byte[] frame) {
}
