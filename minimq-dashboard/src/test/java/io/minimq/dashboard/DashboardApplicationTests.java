package io.minimq.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The app on a random port, with no broker reachable (port 1 refuses connections): probes,
 * pages and their assets served by the app itself, and clear 4xx/5xx problems for bad input.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"minimq.dashboard.broker-url=http://127.0.0.1:1", "minimq.dashboard.retry-max=1s"})
class DashboardApplicationTests {

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
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
        assertThat(metrics.body()).contains("jvm_memory_used_bytes").contains("application=\"minimq-dashboard\"");
    }

    @Test
    void pagesCarryTheStableHooks() throws Exception {
        HttpResponse<String> cluster = get("/");
        assertThat(cluster.statusCode()).isEqualTo(200);
        assertThat(cluster.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(cluster.body()).contains("data-node=", "data-status=\"live\"", "data-metric=\"cpu\"",
                "data-metric=\"mem\"", "data-metric=\"disk\"");
        HttpResponse<String> topics = get("/topics");
        assertThat(topics.statusCode()).isEqualTo(200);
        assertThat(topics.body()).contains("Live tail", "<label for=\"offset\"");
    }

    /** The pages work on a cluster with no internet: every script and stylesheet they name is served here. */
    @Test
    void everyAssetThePagesLoadIsServedByTheApp() throws Exception {
        for (String page : new String[] {"/", "/topics"}) {
            String html = get(page).body();
            assertThat(html).doesNotContain("http://", "https://");
            var assets = java.util.regex.Pattern.compile("(?:src|href)=\"(/[^\"]+\\.(?:js|css))\"").matcher(html);
            int count = 0;
            while (assets.find()) {
                count++;
                assertThat(get(assets.group(1)).statusCode()).as(assets.group(1)).isEqualTo(200);
            }
            assertThat(count).as("assets of " + page).isGreaterThanOrEqualTo(3);
        }
        assertThat(get("/webjars/uplot/dist/uPlot.iife.min.js").body()).contains("uPlot");
    }

    @Test
    void badInputIsAProblemNotAStackTrace() throws Exception {
        assertProblem(get("/api/topics/bad$name/records"), 400, "Invalid topic name");
        assertProblem(get("/api/topics/__internal/records"), 400, "Invalid topic name");
        assertProblem(get("/api/topics/t/records?limit=0"), 400, "Bad request");
        assertProblem(get("/api/topics/t/records?offset=soon"), 400, "Bad request");
        assertProblem(get("/api/stream?topics=a,b$"), 400, "Invalid topic name");
        assertProblem(get("/api/stream?lag=never"), 400, "Bad request");
        assertProblem(get("/api/stream?fromTime=yesterday"), 400, null);
    }

    @Test
    void aBadLastEventIdIsRejected() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/stream?topics=a"))
                .header("Accept", "text/event-stream").header("Last-Event-ID", "a:oops").build(),
                HttpResponse.BodyHandlers.ofString());
        assertProblem(response, 400, "Bad request");
    }

    @Test
    void anUnreachableBrokerIsA502() throws Exception {
        assertProblem(get("/api/topics"), 502, "Broker unavailable");
        assertProblem(get("/api/topics/t/records"), 502, "Broker unavailable");
    }

    @Test
    void nodeViewsAreEmptyWithoutSamples() throws Exception {
        assertThat(get("/api/nodes").body()).isEqualTo("[]");
        assertThat(get("/metrics-data").body()).isEqualTo("{}");
        assertThat(get("/api/config").body()).contains("\"staleAfterMs\":15000", "\"historyMs\":300000");
    }

    private static void assertProblem(HttpResponse<String> response, int status, String title) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        if (title != null) {
            assertThat(response.body()).contains("\"title\":\"" + title + "\"");
        }
        assertThat(response.body()).doesNotContain("Exception", "at io.", "/work/", "/home/");
    }
}
