package io.minimq.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** Pins the message shapes of SYSTEM.md, "Topics and messages". */
class MetricWireFormatTests {

    private final ObjectMapper json = JsonMapper.builder().build();

    @Test
    void metricSampleAsInTheSpec() {
        String spec = "{\"node\":\"n1\",\"metric\":\"cpu\",\"timestamp\":1764860400123,\"value\":12.5,"
                + "\"unit\":\"percent\",\"details\":{\"perCore\":[10.0,15.0]}}";
        MetricSample sample = json.readValue(spec, MetricSample.class);
        assertThat(sample).extracting(MetricSample::node, MetricSample::metric, MetricSample::timestamp,
                MetricSample::value, MetricSample::unit).containsExactly("n1", "cpu", 1764860400123L, 12.5, "percent");
        assertThat(sample.details()).containsEntry("perCore", List.of(10.0, 15.0));
        assertThat(json.readTree(json.writeValueAsString(sample))).isEqualTo(json.readTree(spec));
    }

    @Test
    void metricSampleWithoutDetailsWritesAnEmptyObject() {
        MetricSample sample = new MetricSample("n1", "load", 1, 0.5, MetricSample.LOAD, null);
        assertThat(json.readTree(json.writeValueAsString(sample)).get("details").isObject()).isTrue();
        assertThat(sample.details()).isEqualTo(Map.of());
    }

    @Test
    void nodeInfoAsInTheSpec() {
        String spec = "{\"node\":\"n1\",\"os\":\"Debian GNU/Linux 12\",\"cpuCount\":2,\"memTotalBytes\":25769803776,"
                + "\"agentVersion\":\"0.1.0\",\"startedAt\":1764860400000}";
        NodeInfo info = json.readValue(spec, NodeInfo.class);
        assertThat(info.cpuCount()).isEqualTo(2);
        assertThat(info.memTotalBytes()).isEqualTo(25769803776L);
        assertThat(json.readTree(json.writeValueAsString(info))).isEqualTo(json.readTree(spec));
    }
}
