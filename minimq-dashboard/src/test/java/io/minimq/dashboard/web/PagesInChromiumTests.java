package io.minimq.dashboard.web;

import static io.minimq.dashboard.TestBroker.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.minimq.dashboard.TestBroker;
import io.minimq.dashboard.WithBroker;
import io.minimq.testkit.HeadlessChromium;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The pages in a real headless Chromium (Debian's chromium + chromium-driver), fed by a test
 * producer through the real broker. Skipped where Chromium is missing, except under CI.
 */
class PagesInChromiumTests extends WithBroker {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static WebDriver browser;

    @BeforeAll
    static void startBrowser() {
        browser = HeadlessChromium.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aNodeCardShowsLiveCpuAndGoesStaleWhenTheProducerStops() throws Exception {
        String node = uniqueTopic("web-node");
        ScheduledExecutorService producer = Executors.newSingleThreadScheduledExecutor();
        int[] tick = {0};
        producer.scheduleAtFixedRate(() -> {
            double cpu = 10 + (tick[0]++ % 80) + 0.5;
            long now = System.currentTimeMillis();
            TestBroker.produce("metrics.cpu", List.of(record(node, sample(node, "cpu", cpu, now))));
            TestBroker.produce("metrics.mem", List.of(record(node, sample(node, "mem", 42.0, now))));
            TestBroker.produce("metrics.disk", List.of(record(node, sample(node, "disk", 63.2, now))));
        }, 0, 400, TimeUnit.MILLISECONDS);
        try {
            browser.get(dashboard("/"));
            WebElement card = new WebDriverWait(browser, WAIT)
                    .until(b -> b.findElements(By.cssSelector("[data-node='" + node + "']")).stream().findFirst().orElse(null));
            WebElement cpu = card.findElement(By.cssSelector("[data-metric='cpu']"));
            String first = new WebDriverWait(browser, WAIT).until(b -> cpu.getText().matches("\\d+\\.\\d%") ? cpu.getText() : null);
            new WebDriverWait(browser, WAIT).until(b -> !cpu.getText().equals(first) && cpu.getText().matches("\\d+\\.\\d%"));
            assertThat(card.getAttribute("data-status")).isEqualTo("live");
            assertThat(card.findElement(By.cssSelector("[data-metric='mem']")).getText()).isEqualTo("42.0%");
            assertThat(card.findElement(By.cssSelector("[data-metric='disk']")).getText()).isEqualTo("63.2%");
        } finally {
            producer.shutdownNow();
            producer.awaitTermination(10, TimeUnit.SECONDS);
        }
        WebElement card = browser.findElement(By.cssSelector("[data-node='" + node + "']"));
        new WebDriverWait(browser, WAIT).until(b -> "stale".equals(card.getAttribute("data-status")));
        assertThat(card.findElement(By.className("last-seen")).getText()).startsWith("Last seen");
    }

    @Test
    void theTopicBrowserOpensTheViewInItsUrlAndTailsLive() {
        String topic = uniqueTopic("web-topic");
        List<Map.Entry<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            records.add(record("key-" + i, Map.of("n", i, "nested", Map.of("ok", true))));
        }
        TestBroker.produce(topic, records);

        browser.get(dashboard("/topics?topic=" + topic + "&offset=2&live=1"));
        new WebDriverWait(browser, WAIT).until(b -> rows(b).size() == 3);
        assertThat(rows(browser).get(0).findElement(By.tagName("td")).getText()).isEqualTo("2");
        assertThat(rows(browser).get(0).findElement(By.tagName("pre")).getText()).contains("\"nested\": {");
        assertThat(browser.findElement(By.id("live")).isSelected()).isTrue();

        TestBroker.produce(topic, List.of(record("key-5", Map.of("n", 5))));
        new WebDriverWait(browser, WAIT).until(b -> rows(b).size() == 4);
        assertThat(rows(browser).get(3).findElement(By.tagName("td")).getText()).isEqualTo("5");
    }

    private static List<WebElement> rows(WebDriver browser) {
        return browser.findElements(By.cssSelector("#record-rows tr"));
    }

    private static Map<String, Object> sample(String node, String metric, double value, long timestamp) {
        Map<String, Object> sample = new HashMap<>();
        sample.put("node", node);
        sample.put("metric", metric);
        sample.put("timestamp", timestamp);
        sample.put("value", value);
        sample.put("unit", "percent");
        sample.put("details", Map.of());
        return sample;
    }
}
