package io.minimq.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minimq.testkit.AppProcess;
import io.minimq.testkit.HeadlessChromium;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

/**
 * The whole pipeline as a user runs it: a real host sample taken by the agent goes to the broker,
 * through the dashboard's SSE stream, into a headless Chromium page. And the original
 * prototype's API works against the new broker.
 */
class PipelineTests {

    private static final String NODE = "e2e-node";
    private static AppProcess broker;
    private static AppProcess agent;
    private static AppProcess dashboard;

    @BeforeAll
    static void startMiniMq() {
        broker = MiniMq.broker(MiniMq.tempDir("pipeline")).start();
        agent = MiniMq.agent(broker, NODE).with("minimq.agent.interval.cpu", "250ms").start();
        dashboard = MiniMq.dashboard(broker).start();
    }

    @AfterAll
    static void stopMiniMq() {
        MiniMq.stopAll(agent, dashboard, broker);
    }

    @Test
    void aHostSampleReachesTheDashboardStreamWithinFiveSeconds() throws Exception {
        try (SseClient sse = SseClient.connect(dashboard.url() + "/api/stream?topics=metrics.cpu")) {
            List<SseClient.Event> events = new ArrayList<>();
            long until = System.currentTimeMillis() + 4000;
            while (System.currentTimeMillis() < until) {
                SseClient.Event event = sse.nextRecord(Duration.ofMillis(until - System.currentTimeMillis()));
                if (event != null) {
                    events.add(event);
                }
            }
            assertThat(sse.status()).isEqualTo(200);
            assertThat(events).as("cpu records streamed by the dashboard").isNotEmpty();
            SseClient.Event latest = events.get(events.size() - 1);
            JsonNode record = Http.JSON.readTree(latest.data());
            assertThat(record.get("topic").asString()).isEqualTo("metrics.cpu");
            assertThat(record.get("key").asString()).isEqualTo(NODE);
            JsonNode sample = record.get("value");
            assertThat(sample.get("node").asString()).isEqualTo(NODE);
            assertThat(sample.get("value").asDouble()).isBetween(0.0, 100.0);
            long tookMillis = latest.receivedAtMillis() - sample.get("timestamp").asLong();
            assertThat(tookMillis).as("ms from the agent's sample to the SSE client").isLessThan(5000);
        }
    }

    @Test
    void aBrowserShowsTheNodeWithALiveCpuValue() throws InterruptedException {
        ChromeDriver browser = HeadlessChromium.start();
        try {
            browser.get(dashboard.url() + "/");
            By cpu = ClusterPage.metric(NODE, "cpu");
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
            wait.until(d -> {
                List<WebElement> found = d.findElements(cpu);
                return !found.isEmpty() && found.get(0).getText().matches("\\d+(\\.\\d+)?%") ? found.get(0).getText()
                        : null;
            });
            WebElement card = browser.findElement(ClusterPage.card(NODE));
            assertThat(card.getAttribute("data-status")).isEqualTo("live");
            // The card keeps following the live stream.
            ClusterPage.receivesSamples(browser, NODE, Duration.ofSeconds(6));
            assertThat(browser.findElement(cpu).getText()).matches("\\d+(\\.\\d+)?%");
        } finally {
            browser.quit();
        }
    }

    @Test
    void theNodeIsRegisteredOnTheBrokerAndTheDashboard() {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(Http.get(broker.url() + "/nodes").body()).contains("\"" + NODE + "\"");
            JsonNode nodes = Http.json(Http.get(dashboard.url() + "/api/nodes"));
            assertThat(nodes.findValuesAsString("node")).contains(NODE);
        });
    }

    @Test
    void thePrototypeProducerAndConsumerWorkUnchanged() {
        String topic = "seed-e2e";
        for (String message : List.of("first", "second")) {
            HttpResponse<String> produced = Http.post(broker.url() + "/produce",
                    "{\"topic\":\"" + topic + "\",\"message\":\"" + message + "\"}");
            assertThat(produced.statusCode()).isEqualTo(201);
        }
        String consume = broker.url() + "/consume?topic=" + topic + "&consumer_id="
                + URLEncoder.encode("dash-1", StandardCharsets.UTF_8);
        JsonNode first = Http.json(Http.get(consume));
        JsonNode second = Http.json(Http.get(consume));
        assertThat(first.get("message").asString()).isEqualTo("first");
        assertThat(second.get("message").asString()).isEqualTo("second");
        assertThat(second.get("offset").asLong()).isEqualTo(first.get("offset").asLong() + 1);
        assertThat(Http.get(consume).statusCode()).isEqualTo(204);
    }
}
