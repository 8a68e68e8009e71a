package io.minimq.dashboard.stream;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.minimq.common.api.BrokerRecord;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Turns a broker record into a {@link StreamRecord}, encoding its SSE data exactly once. Thread-safe. */
@Component
public final class RecordEncoder {

    private final JsonMapper json;

    public RecordEncoder(JsonMapper json) {
        this.json = json;
    }

    public StreamRecord encode(String topic, BrokerRecord record) {
        String data = json.writeValueAsString(new Data(topic, record.offset(), record.timestamp(), record.key(),
                record.headers(), record.value()));
        return new StreamRecord(topic, record.offset(), record.timestamp(), record.key(), record.value(), data);
    }

    /** The SSE {@code data:} of an {@code event: record}, field order as in docs/SYSTEM.md. */
    @JsonPropertyOrder({"topic", "offset", "timestamp", "key", "headers", "value"})
    record Data(String topic, long offset, long timestamp, String key, Map<String, String> headers, JsonNode value) {
    }
}
