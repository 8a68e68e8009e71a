package io.minimq.common.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Per-topic settings, as read by {@code GET /v1/topics/{topic}} and written by
 * {@code PUT /v1/topics/{topic}}. In a PUT every field is optional (null = keep or default).
 * {@code retentionBytes} of -1 means unlimited.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TopicConfig(Long retentionMs, Long retentionBytes, Long segmentBytes) {
}
