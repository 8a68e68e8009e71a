package io.minimq.dashboard.stream;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.minimq.common.api.BrokerRecord;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a broker record into a {@link StreamRecord}, rendering its SSE frame exactly once for all
 * subscribers. Thread-safe.
 */
@Component
public final class RecordEncoder {

    static final byte[] RECORD_PREFIX = "event:record\ndata:".getBytes(StandardCharsets.US_ASCII);
    static final byte[] EVENT_END = "\n\n".getBytes(StandardCharsets.US_ASCII);

    private final JsonMapper json;

    public RecordEncoder(JsonMapper json) {
        this.json = json;
    }

    public StreamRecord encode(String topic, BrokerRecord record) {
        // Jackson writes compact JSON: strings escape their line breaks, so the data is one line
        ByteArrayOutputStream frame = new ByteArrayOutputStream(256);
        frame.writeBytes(RECORD_PREFIX);
        json.writeValue(frame, new Data(topic, record.offset(), record.timestamp(), record.key(), record.headers(),
                record.value()));
        frame.writeBytes(EVENT_END);
        return new StreamRecord(topic, record.offset(), record.timestamp(), record.key(), record.value(),
                frame.toByteArray());
    }

    /** The SSE {@code data:} of an {@code event: record}, field order as in docs/SYSTEM.md. */
    @JsonPropertyOrder({"topic", "offset", "timestamp", "key", "headers", "value"})
    record Data(String topic, long offset, long timestamp, String key, Map<String, String> headers, JsonNode value) {
    }
}
