package io.minimq.common.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A topic with its offsets and size. The list endpoint leaves {@code config} out; the single
 * topic endpoint includes it.
 */
@JsonPropertyOrder({"name", "startOffset", "endOffset", "sizeBytes", "segments", "config"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TopicInfo(String name, long startOffset, long endOffset, long sizeBytes, int segments,
        TopicConfig config) {

    /** The same topic without its config, as the list endpoint shows it. */
    public TopicInfo withoutConfig() {
        return new TopicInfo(name, startOffset, endOffset, sizeBytes, segments, null);
    }
}
