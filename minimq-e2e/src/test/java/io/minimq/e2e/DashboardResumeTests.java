package io.minimq.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.minimq.testkit.AppProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Failure drill: the dashboard stops while records keep arriving; a client that reconnects to
 * the restarted dashboard with its Last-Event-ID gets every record after it, in order, with no
 * gap and no repeat, on every topic of the stream.
 */
class DashboardResumeTests {

    private AppProcess broker;
    private AppProcess dashboard;

    @AfterEach
    void stop() {
        MiniMq.stopAll(dashboard, broker);
    }

    private void produce(String topic, int count, String node) {
        StringBuilder body = new StringBuilder("{\"records\":[");
        for (int i = 0; i < count; i++) {
            long now = System.currentTimeMillis();
            body.append(i == 0 ? "" : ",").append("{\"key\":\"").append(node).append("\",\"value\":{\"node\":\"")
                    .append(node).append("\",\"metric\":\"").append(topic.substring("metrics.".length()))
                    .append("\",\"timestamp\":").append(now).append(",\"value\":").append(i % 100)
                    .append(",\"unit\":\"percent\",\"details\":{}}}");
        }
        body.append("]}");
        assertThat(Http.post(broker.url() + "/v1/topics/" + topic + "/records", body.toString()).statusCode())
                .isEqualTo(201);
    }

    @Test
    void lastEventIdResumesWithoutGapOrRepeatAcrossTopics() throws Exception {
        broker = MiniMq.broker(MiniMq.tempDir("resume")).start();
        produce("metrics.cpu", 1, "seed");
        produce("metrics.mem", 1, "seed");
        dashboard = MiniMq.dashboard(broker).start();
        String stream = dashboard.url() + "/api/stream?topics=metrics.cpu,metrics.mem";

        Map<String, List<Long>> seen = new HashMap<>();
        String lastId;
        try (SseClient first = SseClient.connect(stream)) {
            Thread.sleep(500);
            produce("metrics.cpu", 5, "n1");
            produce("metrics.mem", 5, "n1");
            collect(first, seen, "n1", 10);
            lastId = first.lastEventId();
        }
        assertThat(lastId).isNotBlank();

        dashboard.stop();
        produce("metrics.cpu", 7, "n2");
        produce("metrics.mem", 3, "n2");
        dashboard.start();
        produce("metrics.cpu", 2, "n3");

        try (SseClient resumed = SseClient.resume(stream, lastId)) {
            collect(resumed, seen, null, 12);
            assertThat(resumed.nextRecord(Duration.ofSeconds(2))).as("nothing beyond what was produced").isNull();
        }
        for (Map.Entry<String, List<Long>> topic : seen.entrySet()) {
            List<Long> offsets = topic.getValue();
            for (int i = 1; i < offsets.size(); i++) {
                assertThat(offsets.get(i)).as(topic.getKey() + " offsets " + offsets).isEqualTo(offsets.get(i - 1) + 1);
            }
        }
        assertThat(seen.get("metrics.cpu")).hasSize(5 + 7 + 2);
        assertThat(seen.get("metrics.mem")).hasSize(5 + 3);
    }

    /** Reads {@code count} records of nodes other than the seed, recording offsets per topic. */
    private static void collect(SseClient sse, Map<String, List<Long>> seen, String node, int count)
            throws InterruptedException {
        int got = 0;
        long deadline = System.currentTimeMillis() + 20_000;
        while (got < count && System.currentTimeMillis() < deadline) {
            SseClient.Event event = sse.nextRecord(Duration.ofMillis(Math.max(1, deadline - System.currentTimeMillis())));
            if (event == null) {
                break;
            }
            JsonNode record = Http.JSON.readTree(event.data());
            String key = record.get("key").asString();
            if ("seed".equals(key)) {
                continue;
            }
            if (node != null) {
                assertThat(key).isEqualTo(node);
            }
            seen.computeIfAbsent(record.get("topic").asString(), t -> new ArrayList<>())
                    .add(record.get("offset").asLong());
            got++;
        }
        assertThat(got).as("records received").isEqualTo(count);
    }
}
