package io.minimq.dashboard.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

class EventIdsTests {

    @Test
    void writesTheSameIdLineAsStreamPositionFormat() {
        Map<String, Long> positions = new LinkedHashMap<>();
        positions.put("metrics.cpu", -1L);
        positions.put("metrics.mem", 0L);
        positions.put("Node_7.disk-x", Long.MAX_VALUE);
        EventIds ids = new EventIds(positions);

        assertThat(idLine(ids)).isEqualTo("id:" + StreamPosition.format(positions) + "\n")
                .isEqualTo("id:metrics.cpu:-1,metrics.mem:0,Node_7.disk-x:9223372036854775807\n");

        for (long offset : new long[] {9, 10, 99, 1234567890123L}) {
            ids.set("metrics.mem", offset);
            positions.put("metrics.mem", offset);
            String line = idLine(ids);
            assertThat(line).isEqualTo("id:" + StreamPosition.format(positions) + "\n");
            assertThat(StreamPosition.parse(line.substring(3, line.length() - 1))).containsExactlyEntriesOf(positions);
        }
    }

    @Test
    void aSingleTopicIdIsTopicAndOffset() {
        EventIds ids = new EventIds(Map.of("logs", 41L));
        ids.set("logs", 42);

        assertThat(idLine(ids)).isEqualTo("id:logs:42\n");
    }

    @Test
    void aTopicNotInTheStreamIsRefused() {
        EventIds ids = new EventIds(Map.of("logs", 41L));

        assertThatThrownBy(() -> ids.set("other", 1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String idLine(EventIds ids) {
        DataBuffer buffer = DefaultDataBufferFactory.sharedInstance.allocateBuffer(ids.maxLength());
        ids.writeTo(buffer);
        assertThat(buffer.readableByteCount()).isLessThanOrEqualTo(ids.maxLength());
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
