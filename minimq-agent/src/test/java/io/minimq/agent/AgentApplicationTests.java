package io.minimq.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The app starts on a random port and answers its Kubernetes probes and Prometheus over real HTTP.
 * No broker listens on port 1: the agent keeps collecting and stays ready until delivery has failed
 * for {@code not-ready-after}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "minimq.agent.broker-url=http://127.0.0.1:1", "minimq.agent.node-name=app-test-node",
        "minimq.agent.interval.mem=200ms", "minimq.agent.interval.disk=200ms",
        "minimq.agent.interval.net=200ms", "minimq.agent.interval.load=200ms", "minimq.agent.interval.cpu=200ms"})
class AgentApplicationTests {

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void probesAreUp() throws Exception {
        HttpResponse<String> readiness = get("/actuator/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).contains("\"status\":\"UP\"");
        HttpResponse<String> liveness = get("/actuator/health/liveness");
        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(liveness.body()).contains("\"status\":\"UP\"");
    }

    @Test
    void prometheusIsExposed() throws Exception {
        HttpResponse<String> metrics = get("/actuator/prometheus");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes").contains("application=\"minimq-agent\"");
    }

    @Test
    void hostValuesAndTheAgentsOwnCountersAreGauges() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String body = get("/actuator/prometheus").body();
            for (String gauge : List.of("minimq_host_cpu_percent", "minimq_host_memory_used_percent",
                    "minimq_host_load1")) {
                assertThat(value(body, gauge + "{application=\"minimq-agent\",node=\"app-test-node\"}"))
                        .as(gauge).isBetween(0.0, 100.0);
            }
            assertThat(value(body, "minimq_host_disk_used_percent{application=\"minimq-agent\",mount=\"/\","
                    + "node=\"app-test-node\"}")).isBetween(0.0, 100.0);
            assertThat(value(body, "minimq_host_network_bytes_per_second{application=\"minimq-agent\","
                    + "direction=\"rx\",node=\"app-test-node\"}")).isNotNegative();
            assertThat(value(body, "minimq_host_network_bytes_per_second{application=\"minimq-agent\","
                    + "direction=\"tx\",node=\"app-test-node\"}")).isNotNegative();
            assertThat(value(body, "minimq_agent_buffered_samples{application=\"minimq-agent\"}")).isPositive();
            assertThat(value(body, "minimq_agent_send_failures_total{application=\"minimq-agent\"}")).isPositive();
            assertThat(value(body, "minimq_agent_samples_sent_total{application=\"minimq-agent\"}")).isZero();
            assertThat(value(body, "minimq_agent_samples_dropped_total{application=\"minimq-agent\"}")).isZero();
        });
    }

    @Test
    void theManagementPortAnswersLikeActuator() throws Exception {
        HttpResponse<String> health = get("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.headers().firstValue("Content-Type")).hasValue("application/vnd.spring-boot.actuator.v3+json");
        // as Boot's web servers answer an anonymous caller: no components (no disk paths), details only on readiness
        assertThat(health.body()).contains("\"status\":\"UP\"").doesNotContain("components").doesNotContain("diskSpace");
        assertThat(get("/actuator/health/liveness").body()).doesNotContain("details");
        HttpResponse<String> delivery = get("/actuator/health/readiness/delivery");
        assertThat(delivery.statusCode()).isEqualTo(200);
        assertThat(delivery.body()).contains("\"bufferedRecords\"");
        HttpResponse<String> info = get("/actuator/info");
        assertThat(info.statusCode()).isEqualTo(200);
        assertThat(info.body()).contains("\"java\"");
        assertThat(get("/actuator/prometheus?includedNames=jvm_threads_live_threads").body())
                .contains("jvm_threads_live_threads").doesNotContain("minimq_");
        assertThat(get("/actuator/health/nothing-here").statusCode()).isEqualTo(404);
        assertThat(get("/actuator/env").statusCode()).isEqualTo(404);
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/actuator/health")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    /** The value of one exposed series, failing when it is absent. */
    static double value(String exposition, String series) {
        return exposition.lines().filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(series.length() + 1)))
                .orElseThrow(() -> new AssertionError(series + " not in\n" + exposition));
    }
}
