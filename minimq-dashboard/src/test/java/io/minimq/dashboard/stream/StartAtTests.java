package io.minimq.dashboard.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StartAtTests {

    @Test
    void parsesOffsetsKeywordsAndTimes() {
        assertThat(StartAt.parse("12", null, StartAt.live())).isEqualTo(StartAt.offset(12));
        assertThat(StartAt.parse("earliest", null, StartAt.live())).isEqualTo(StartAt.offset(0));
        assertThat(StartAt.parse("latest", null, StartAt.offset(0))).isEqualTo(StartAt.live());
        assertThat(StartAt.parse(null, 1764860400123L, StartAt.live())).isEqualTo(StartAt.time(1764860400123L));
        assertThat(StartAt.parse(null, null, StartAt.offset(3))).isEqualTo(StartAt.offset(3));
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> StartAt.parse("soon", null, StartAt.live()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'soon'");
        assertThatThrownBy(() -> StartAt.parse("-1", null, StartAt.live())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StartAt.parse("1", 5L, StartAt.live())).isInstanceOf(IllegalArgumentException.class);
    }
}
