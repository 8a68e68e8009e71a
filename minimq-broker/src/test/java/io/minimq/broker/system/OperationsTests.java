package io.minimq.broker.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minimq.broker.OpenBrokerTestBase;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Prometheus metrics of HTTP-API.md and the Grafana dashboard, and {@code info} with the version. */
class OperationsTests extends OpenBrokerTestBase {

    @Test
    void prometheusHasTheBrokerMetrics() {
        String topic = freshTopic();
        http().post("/v1/topics/" + topic + "/records", "{\"records\":[{\"value\":\"abc\"},{\"value\":12}]}");
        http().get("/v1/topics/" + topic + "/records?offset=0");
        http().put("/v1/groups/lagging/offsets/" + topic, "{\"offset\": 1}");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            String metrics = http().get("/actuator/prometheus").body();
            assertThat(metrics)
                    .contains("minimq_records_appended_total{application=\"minimq-broker\",topic=\"" + topic + "\"} 2.0")
                    .contains("minimq_bytes_appended_total{application=\"minimq-broker\",topic=\"" + topic + "\"} 7.0")
                    .contains("minimq_records_fetched_total{application=\"minimq-broker\",topic=\"" + topic + "\"} 2.0")
                    .contains("minimq_topic_end_offset{application=\"minimq-broker\",topic=\"" + topic + "\"} 2.0")
                    .contains("minimq_group_lag{application=\"minimq-broker\",group=\"lagging\",topic=\"" + topic + "\"} 1.0")
                    .contains("minimq_flush_seconds_count")
                    .doesNotContain("minimq_flush_seconds_count{application=\"minimq-broker\"} 0")
                    .contains("minimq_append_seconds_count{application=\"minimq-broker\"}")
                    .doesNotContain("minimq_append_seconds_count{application=\"minimq-broker\"} 0")
                    .contains("minimq_long_polls_waiting{application=\"minimq-broker\"} 0.0");
        });

        http().delete("/v1/topics/" + topic);
        assertThat(http().get("/actuator/prometheus").body()).doesNotContain("topic=\"" + topic + "\"");
    }

    @Test
    void httpRequestMetricsLeaveOutOnlyTheRecordsEndpoints() {
        String topic = freshTopic();
        http().post("/v1/topics/" + topic + "/records", "{\"records\":[{\"value\":1}]}");
        http().get("/v1/topics/" + topic + "/records?offset=0");
        http().get("/v1/topics/" + topic);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(http().get("/actuator/prometheus").body())
                .contains("http_server_requests_seconds_count{application=\"minimq-broker\",error=\"none\",exception=\"none\","
                        + "method=\"GET\",outcome=\"SUCCESS\",status=\"200\",uri=\"/v1/topics/{topic}\"}")
                .doesNotContain("uri=\"/v1/topics/{topic}/records\""));
        assertThat(HttpObservations.isRecordsPath("/v1/topics/t/records")).isTrue();
        assertThat(HttpObservations.isRecordsPath("/produce")).isTrue();
        assertThat(HttpObservations.isRecordsPath("/consume")).isTrue();
        assertThat(HttpObservations.isRecordsPath("/v1/topics/t")).isFalse();
        assertThat(HttpObservations.isRecordsPath("/v1/groups/g/offsets/t")).isFalse();
    }

    @Test
    void infoShowsTheVersion() {
        String info = http().get("/actuator/info").body();
        assertThat(info).contains("\"build\"").contains("\"version\":\"0.1.0-SNAPSHOT\"").contains("minimq-broker");
    }
}
