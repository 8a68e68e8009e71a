package io.minimq.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minimq.testkit.AppProcess;
import io.minimq.testkit.HeadlessChromium;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

/**
 * Failure drill: the broker is killed with SIGKILL while the agent publishes every 100 ms, and
 * started again 5 s later. Every sample the agent took arrives exactly once and in order, and the
 * dashboard (and a browser on it) carries on without a reload.
 */
class BrokerCrashDrillTests {

    private static final String NODE = "drill-node";
    private AppProcess broker;
    private AppProcess agent;
    private AppProcess dashboard;

    @AfterEach
    void stop() {
        MiniMq.stopAll(agent, dashboard, broker);
    }

    @Test
    void killNineOfTheBrokerLosesAndDuplicatesNothing() throws Exception {
        broker = MiniMq.broker(MiniMq.tempDir("crash")).start();
        agent = MiniMq.agent(broker, NODE).with("minimq.agent.interval.cpu", "100ms")
                .with("minimq.agent.interval.mem", "100ms").with("minimq.agent.enabled.disk", "false")
                .with("minimq.agent.enabled.net", "false").with("minimq.agent.enabled.load", "false").start();
        dashboard = MiniMq.dashboard(broker).start();
        ChromeDriver browser = HeadlessChromium.start();
        try (SseClient sse = SseClient.connect(dashboard.url() + "/api/stream?topics=metrics.cpu")) {
            browser.get(dashboard.url() + "/");
            By cpu = ClusterPage.metric(NODE, "cpu");
            new WebDriverWait(browser, Duration.ofSeconds(15)).until(d -> !d.findElements(cpu).isEmpty());
            assertThat(sse.nextRecord(Duration.ofSeconds(10))).as("stream before the crash").isNotNull();
            Thread.sleep(1500);

            long killedAt = System.currentTimeMillis();
            broker.kill();
            Thread.sleep(5000);
            long restartedAt = System.currentTimeMillis();
            broker.start();

            // The agent delivers what it buffered, then carries on.
            await().atMost(Duration.ofSeconds(40)).until(() -> lastTimestamp(Http.readAll(broker.url(),
                    "metrics.cpu")) > restartedAt + 2000);
            // The dashboard's stream resumes by itself: records taken after the restart reach the open connection.
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                SseClient.Event e = sse.nextRecord(Duration.ofSeconds(1));
                return e != null && Http.JSON.readTree(e.data()).get("value").get("timestamp").asLong() > restartedAt;
            });
            // And so does the page, without a reload.
            ClusterPage.receivesSamples(browser, NODE, Duration.ofSeconds(3));
            assertThat(browser.findElement(ClusterPage.card(NODE)).getAttribute("data-status"))
                    .isEqualTo("live");

            agent.stop();
            for (String topic : List.of("metrics.cpu", "metrics.mem")) {
                assertExactlyOnceInOrder(topic, killedAt, restartedAt);
            }
            assertThat(broker.logTail()).doesNotContain("Exception");
        } finally {
            browser.quit();
        }
    }

    private void assertExactlyOnceInOrder(String topic, long killedAt, long restartedAt) {
        List<Long> taken = new ArrayList<>();
        for (JsonNode record : Http.readAll(broker.url(), topic)) {
            if (NODE.equals(record.get("key").asString())) {
                taken.add(record.get("value").get("timestamp").asLong());
            }
        }
        assertThat(taken).as(topic + " sample times").isSorted().doesNotHaveDuplicates();
        for (int i = 1; i < taken.size(); i++) {
            assertThat(taken.get(i) - taken.get(i - 1)).as(topic + ": gap between samples " + (i - 1) + " and " + i)
                    .isLessThan(1500);
        }
        long duringOutage = taken.stream().filter(t -> t > killedAt + 500 && t < restartedAt - 500).count();
        assertThat(duringOutage).as(topic + " samples taken while the broker was down").isGreaterThan(20);
    }

    private static long lastTimestamp(List<JsonNode> records) {
        return records.isEmpty() ? 0 : records.get(records.size() - 1).get("value").get("timestamp").asLong();
    }
}
