package io.minimq.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TopicNamesTests {

    @ParameterizedTest
    @ValueSource(strings = {"metrics.cpu", "nodes", "a", "A-b_c.9", "...", ".a", "a..b", "_x", "x__"})
    void acceptsNamesOfTheRule(String name) {
        assertThat(TopicNames.validate(name)).isEqualTo(name);
        assertThat(TopicNames.isValid(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "a/b", "../x", "..\\x", "/etc/passwd", "%2e%2e", "a%2fb", "a b",
        "tab\there", "new\nline", "nul\u0000byte", "caf\u00e9", "\u0442\u043e\u043f\u0438\u043a", "emoji\uD83D\uDE00",
        "a:b", "a*b", "C:\\x", "~root", "__internal", "__consumer_offsets", "a\u2215b", "\uFF0E\uFF0E"})
    void refusesHostileNames(String name) {
        assertThat(TopicNames.isValid(name)).isFalse();
        assertThatThrownBy(() -> TopicNames.validate(name)).isInstanceOf(InvalidNameException.class);
    }

    @Test
    void refusesNull() {
        assertThat(TopicNames.isValid(null)).isFalse();
        assertThatThrownBy(() -> TopicNames.validate(null)).isInstanceOf(InvalidNameException.class);
    }

    @Test
    void lengthLimitIs249() {
        assertThat(TopicNames.isValid("a".repeat(249))).isTrue();
        assertThat(TopicNames.isValid("a".repeat(250))).isFalse();
        assertThatThrownBy(() -> TopicNames.validate("a".repeat(250)))
                .hasMessageContaining("250").hasMessageContaining("249");
    }

    @Test
    void internalNamesAreValidOnlyForTheBroker() {
        assertThat(TopicNames.isInternal("__producers")).isTrue();
        assertThat(TopicNames.validateInternal("__producers")).isEqualTo("__producers");
        assertThatThrownBy(() -> TopicNames.validateInternal("__a/b")).isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> TopicNames.validateInternal("..")).isInstanceOf(InvalidNameException.class);
    }

    @Test
    void errorMessagesEscapeControlCharacters() {
        assertThatThrownBy(() -> TopicNames.validate("bad\u0000name"))
                .hasMessageContaining("bad\\u0000name")
                .hasMessageNotContaining("\u0000");
    }

    @Test
    void topicsConstantsFollowTheRule() {
        Topics.METRICS.forEach(t -> assertThat(TopicNames.isValid(t)).as(t).isTrue());
        assertThat(TopicNames.isValid(Topics.NODES)).isTrue();
        assertThat(Topics.METRICS).containsExactly("metrics.cpu", "metrics.mem", "metrics.disk", "metrics.net",
                "metrics.load");
        assertThat(Topics.NODES).isEqualTo("nodes");
        assertThat(Topics.forMetric("cpu")).isEqualTo(Topics.CPU);
        assertThat(Topics.metricOf("metrics.disk")).isEqualTo("disk");
        assertThat(Topics.metricOf("nodes")).isNull();
    }
}
