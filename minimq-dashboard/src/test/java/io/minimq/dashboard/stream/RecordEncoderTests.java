package io.minimq.dashboard.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.minimq.common.api.BrokerRecord;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class RecordEncoderTests {

    private final JsonMapper json = JsonMapper.builder().build();
    private final RecordEncoder encoder = new RecordEncoder(json);

    @Test
    void theFrameIsOneRecordEventWithTheSpecFieldsOnOneDataLine() {
        JsonNode value = json.readTree("{\"text\":\"two\\nlines\\r\\nand a \\u2028 separator\",\"cpu\":12.5}");
        BrokerRecord record = new BrokerRecord(7, 1_700_000_000_123L, "node-ä", Map.of("h", "v"), value);

        StreamRecord encoded = encoder.encode("metrics.cpu", record);

        String frame = new String(encoded.frame(), StandardCharsets.UTF_8);
        assertThat(frame).startsWith("event:record\ndata:").endsWith("\n\n");
        String data = frame.substring("event:record\ndata:".length(), frame.length() - 2);
        assertThat(data).doesNotContain("\n").doesNotContain("\r"); // one data line: nothing for SSE to split
        JsonNode parsed = json.readTree(data);
        assertThat(parsed.propertyNames()).containsExactly("topic", "offset", "timestamp", "key", "headers", "value");
        assertThat(parsed.path("topic").asString()).isEqualTo("metrics.cpu");
        assertThat(parsed.path("offset").asLong()).isEqualTo(7);
        assertThat(parsed.path("timestamp").asLong()).isEqualTo(1_700_000_000_123L);
        assertThat(parsed.path("key").asString()).isEqualTo("node-ä");
        assertThat(parsed.path("headers").path("h").asString()).isEqualTo("v");
        assertThat(parsed.path("value")).isEqualTo(value);
        assertThat(encoded.offset()).isEqualTo(7);
        assertThat(encoded.value()).isSameAs(value);
    }
}
