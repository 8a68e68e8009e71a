package io.minimq.common.api;

import java.util.List;

/** Body of {@code POST /v1/topics/{topic}/records}: {@code {"records": [...]}}. */
public record ProduceRequest(List<ProduceRecord> records) {

    public ProduceRequest {
        records = records == null ? null : List.copyOf(records);
    }
}
