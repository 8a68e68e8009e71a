package io.minimq.common.api;

import java.util.Map;

/** Every committed offset of a group: {@code {"group": "g", "offsets": {"topic": N}}}. */
public record GroupOffsets(String group, Map<String, Long> offsets) {

    public GroupOffsets {
        offsets = offsets == null ? Map.of() : Map.copyOf(offsets);
    }
}
