package io.minimq.common.api;

/** One committed offset: {@code {"group": "g", "topic": "t", "offset": N}}. */
public record GroupOffset(String group, String topic, long offset) {
}
