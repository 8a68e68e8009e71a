package io.minimq.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code deploy/grafana/minimq.json} queries only metrics that the running apps really publish
 * on {@code /actuator/prometheus}: a renamed metric breaks this test, not a dashboard at night.
 */
@ExtendWith(RunningApps.Extension.class)
class GrafanaDashboardTests {

    private static final Pattern METRIC = Pattern.compile("\\bminimq_[a-z0-9_]+");
    private static final Pattern SAMPLE_NAME = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]", Pattern.MULTILINE);

    private static JsonNode dashboard;

    @BeforeAll
    static void load() {
        dashboard = JsonMapper.builder().build().readTree(Repository.read("deploy/grafana/minimq.json"));
    }

    @Test
    void everyQueriedMetricIsPublishedByARunningApp(RunningApps apps) {
        // Tagged meters appear once used: a produce, a fetch and a committed group offset.
        String topic = "grafana-check";
        assertThat(apps.send("broker", "POST", "/v1/topics/" + topic + "/records",
                "{\"records\": [{\"key\": \"k\", \"value\": 1}, {\"key\": \"k\", \"value\": 2}]}")).isEqualTo(201);
        apps.get("broker", "/v1/topics/" + topic + "/records?offset=0&limit=1");
        assertThat(apps.send("broker", "PUT", "/v1/groups/grafana/offsets/" + topic, "{\"offset\": 1}"))
                .isEqualTo(204);
        Set<String> queried = queriedMetrics();
        assertThat(queried).as("metrics the dashboard queries").isNotEmpty();

        // The agent's gauges appear after its first collection and send.
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(
                () -> assertThat(published(apps)).as("metrics the apps publish").containsAll(queried));
    }

    private static Set<String> published(RunningApps apps) {
        Set<String> published = new TreeSet<>();
        for (String app : Repository.APPS) {
            Matcher names = SAMPLE_NAME.matcher(apps.get(app, "/actuator/prometheus"));
            while (names.find()) {
                published.add(names.group(1));
            }
        }
        return published;
    }

    @Test
    void coversBrokerThroughputFlushLatencyOffsetsLagAndHostValues() {
        assertThat(queriedMetrics()).contains("minimq_records_appended_total", "minimq_bytes_appended_total",
                "minimq_flush_seconds_sum", "minimq_flush_seconds_count", "minimq_topic_end_offset",
                "minimq_group_lag", "minimq_host_cpu_percent", "minimq_host_memory_used_percent",
                "minimq_host_disk_used_percent", "minimq_host_network_bytes_per_second", "minimq_host_load1");
    }

    @Test
    void everyPanelQueriesThePrometheusDataSourceVariable() {
        assertThat(dashboard.path("uid").asString()).isEqualTo("minimq");
        for (JsonNode panel : dashboard.path("panels")) {
            if ("row".equals(panel.path("type").asString())) {
                continue;
            }
            assertThat(panel.path("targets").isEmpty()).as(panel.path("title").asString()).isFalse();
            assertThat(panel.path("datasource").path("uid").asString()).isEqualTo("${datasource}");
        }
    }

    private static Set<String> queriedMetrics() {
        Set<String> metrics = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher matcher = METRIC.matcher(target.path("expr").asString());
                while (matcher.find()) {
                    metrics.add(matcher.group());
                }
            }
        }
        return metrics;
    }
}
