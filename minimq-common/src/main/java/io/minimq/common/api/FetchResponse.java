package io.minimq.common.api;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * Answer to a fetch: the records from the requested offset, the offset to ask for next, and the
 * topic's current bounds ({@code startOffset} = first offset still stored, {@code endOffset} =
 * the offset the next append will get).
 */
@JsonPropertyOrder({"topic", "records", "nextOffset", "startOffset", "endOffset"})
public record FetchResponse(String topic, List<BrokerRecord> records, long nextOffset, long startOffset,
        long endOffset) {

    public FetchResponse {
        records = records == null ? List.of() : List.copyOf(records);
    }
}
