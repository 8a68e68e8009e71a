package io.minimq.common.api;

import java.util.List;

/** Answer to a produce: {@code {"topic": "t", "offsets": [41, 42]}}. */
public record ProduceResponse(String topic, List<Long> offsets) {

    public ProduceResponse {
        offsets = offsets == null ? List.of() : List.copyOf(offsets);
    }
}
