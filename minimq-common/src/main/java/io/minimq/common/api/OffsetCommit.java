package io.minimq.common.api;

/** Body of {@code PUT /v1/groups/{group}/offsets/{topic}}: {@code {"offset": N}}. */
public record OffsetCommit(Long offset) {
}
