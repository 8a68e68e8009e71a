package io.minimq.dashboard.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minimq.common.InvalidNameException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamPositionTests {

    @Test
    void formatsEveryTopicInOrderAndParsesBack() {
        Map<String, Long> positions = new LinkedHashMap<>();
        positions.put("metrics.cpu", 41L);
        positions.put("metrics.mem", 17L);
        positions.put("empty-topic", -1L);

        String id = StreamPosition.format(positions);

        assertThat(id).isEqualTo("metrics.cpu:41,metrics.mem:17,empty-topic:-1");
        assertThat(StreamPosition.parse(id)).containsExactlyEntriesOf(positions);
    }

    @Test
    void absentOrBlankIdMeansNoPosition() {
        assertThat(StreamPosition.parse(null)).isEmpty();
        assertThat(StreamPosition.parse("  ")).isEmpty();
    }

    @Test
    void rejectsMalformedIdsWithTheBadEntry() {
        assertThatThrownBy(() -> StreamPosition.parse("metrics.cpu"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'metrics.cpu'");
        assertThatThrownBy(() -> StreamPosition.parse("metrics.cpu:x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no valid offset");
        assertThatThrownBy(() -> StreamPosition.parse("metrics.cpu:-2"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StreamPosition.parse("../etc:1")).isInstanceOf(InvalidNameException.class);
    }
}
