package io.minimq.broker.storage;

/**
 * Per-topic settings. In a create-or-update request a null field keeps its current value (or
 * takes the broker default); in {@link TopicStats} every field is set. {@code retentionBytes}
 * of -1 means unlimited.
 */
public record TopicSettings(Long retentionMs, Long retentionBytes, Long segmentBytes) {

    public static final TopicSettings DEFAULTS_ONLY = new TopicSettings(null, null, null);
}
