package io.minimq.agent.publish;

import java.io.ByteArrayOutputStream;
import java.util.Collection;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.ObjectMapper;

/**
 * Writes a produce request body, {@code {"records": [{"key": "n1", "value": {...}}, ...]}}, straight
 * from the pending values with Jackson's streaming generator (no intermediate tree per record).
 * Thread-safe.
 */
final class BatchEncoder {

    private final ObjectMapper mapper;

    BatchEncoder(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    byte[] encode(Collection<OutboundBuffer.Pending> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 * records.size());
        try (JsonGenerator json = mapper.createGenerator(out)) {
            json.writeStartObject();
            json.writeName("records");
            json.writeStartArray();
            for (OutboundBuffer.Pending record : records) {
                json.writeStartObject();
                json.writeStringProperty("key", record.key());
                json.writePOJOProperty("value", record.value());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        return out.toByteArray();
    }
}
