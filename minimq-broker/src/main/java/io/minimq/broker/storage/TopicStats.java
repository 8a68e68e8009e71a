package io.minimq.broker.storage;

/** A topic's bounds, size on disk, segment count and effective settings. */
public record TopicStats(String name, long startOffset, long endOffset, long sizeBytes, int segments,
        TopicSettings settings) {
}
