package io.minimq.dashboard;

import static io.minimq.dashboard.TestBroker.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minimq.dashboard.SseClient.Event;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The SSE API and the JSON views against a real broker: the spec's event fields, resume with
 * {@code Last-Event-ID} without gap or repeat, a browser that stops reading, a broker restart.
 */
class StreamingWithBrokerTests extends WithBroker {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void recordEventsCarryTheSpecFieldsAndAnIdWithThePosition() throws Exception {
        String topic = uniqueTopic("fields");
        try (SseClient client = SseClient.connect(dashboard("/api/stream?topics=" + topic + "&offset=earliest"), null)) {
            assertThat(client.status()).isEqualTo(200);
            assertThat(client.contentType()).startsWith("text/event-stream");
            TestBroker.produce(topic, List.of(record("node-a", Map.of("cpu", 12.5)), record("node-b", List.of(1, 2))));

            List<Event> events = client.records(2, WAIT);

            JsonNode first = TestBroker.json(events.get(0).data());
            assertThat(first.propertyNames()).containsExactly("topic", "offset", "timestamp", "key", "headers", "value");
            assertThat(first.path("topic").asString()).isEqualTo(topic);
            assertThat(first.path("offset").asLong()).isZero();
            assertThat(first.path("timestamp").asLong()).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
            assertThat(first.path("key").asString()).isEqualTo("node-a");
            assertThat(first.path("headers").path("test").asString()).isEqualTo("yes");
            assertThat(first.path("value").path("cpu").asDouble()).isEqualTo(12.5);
            assertThat(TestBroker.json(events.get(1).data()).path("value").toString()).isEqualTo("[1,2]");
            assertThat(events).extracting(Event::id).containsExactly(topic + ":0", topic + ":1");
        }
    }

    @Test
    void resumingWithLastEventIdHasNoGapAndNoRepeatAcrossTopics() throws Exception {
        List<String> topics = List.of(uniqueTopic("resume-a"), uniqueTopic("resume-b"), uniqueTopic("resume-c"));
        produceRound(topics, 0, 4); // 12 records, 4 per topic
        String url = dashboard("/api/stream?topics=" + String.join(",", topics) + "&offset=earliest");
        List<Event> seen = new ArrayList<>();
        String lastId;
        try (SseClient first = SseClient.connect(url, null)) {
            seen.addAll(first.records(7, WAIT));
            lastId = seen.get(seen.size() - 1).id();
            assertThat(seen.get(0).id().split(",")).as("every id names every topic").hasSize(3);
        }
        produceRound(topics, 4, 3); // 9 more while disconnected
        try (SseClient second = SseClient.connect(url, lastId)) {
            seen.addAll(second.records(12 + 9 - 7, WAIT));
            produceRound(topics, 7, 1); // and 3 after the reconnect
            seen.addAll(second.records(3, WAIT));
            assertThat(second.next("record", Duration.ofSeconds(2))).as("nothing more, nothing twice").isNull();
        }
        Map<String, List<Long>> offsets = new LinkedHashMap<>();
        for (Event event : seen) {
            JsonNode data = TestBroker.json(event.data());
            offsets.computeIfAbsent(data.path("topic").asString(), t -> new ArrayList<>()).add(data.path("offset").asLong());
        }
        for (String topic : topics) {
            assertThat(offsets.get(topic)).as(topic).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
        }
    }

    @Test
    void aBrowserThatStopsReadingDoesNotStallTheOthers() throws Exception {
        String topic = uniqueTopic("slow");
        int records = 1200;
        String pad = "x".repeat(16 * 1024); // 1200 x 16 KiB: more than the socket buffers hold
        String url = dashboard("/api/stream?topics=" + topic + "&offset=earliest");
        try (SseClient stalled = SseClient.connectWithoutReading(url);
                SseClient skipping = SseClient.connectWithoutReading(
                        dashboard("/api/topics/" + topic + "/stream?offset=earliest"));
                SseClient reader = SseClient.connect(url, null)) {
            for (int batch = 0; batch < records / 100; batch++) {
                List<Map.Entry<String, Object>> values = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    values.add(record("k", Map.of("i", batch * 100 + i, "pad", pad)));
                }
                TestBroker.produce(topic, values);
            }

            // the reader is not held back by the two connections that read nothing
            assertThat(offsets(reader.records(records, WAIT))).isEqualTo(range(0, records));

            // the stalled browser that asked for everything still gets everything, in order, once it reads
            stalled.startReading();
            assertThat(offsets(stalled.records(records, WAIT))).isEqualTo(range(0, records));

            // the live tail (lag=skip) fell behind: it says what it skipped, and what it shows has no other gap
            skipping.startReading();
            long expected = 0;
            long skipped = 0;
            while (expected < records) {
                Event event = skipping.next(WAIT);
                assertThat(event).as("event at offset " + expected).isNotNull();
                JsonNode data = TestBroker.json(event.data());
                if (event.event().equals("skipped")) {
                    assertThat(data.path("fromOffset").asLong()).isEqualTo(expected);
                    assertThat(data.path("count").asLong()).isPositive();
                    skipped += data.path("count").asLong();
                    expected = data.path("toOffset").asLong();
                } else {
                    assertThat(data.path("offset").asLong()).isEqualTo(expected);
                    expected++;
                }
            }
            assertThat(expected).isEqualTo(records);
            assertThat(skipped).isPositive();
            String metrics = get("/actuator/prometheus").body();
            assertThat(metrics).contains("minimq_dashboard_feed_subscribers{application=\"minimq-dashboard\",topic=\"" + topic + "\"}")
                    .contains("minimq_dashboard_streams").contains("minimq_dashboard_records_skipped_total");
            TestBroker.produce(topic, List.of(record("k", Map.of("i", records))));
            assertThat(offsets(skipping.records(1, WAIT))).containsExactly((long) records);
        }
    }

    @Test
    void aBrokerRestartIsSurvived() throws Exception {
        String topic = uniqueTopic("restart");
        TestBroker.produce(topic, List.of(record("k", 0), record("k", 1), record("k", 2)));
        try (SseClient client = SseClient.connect(dashboard("/api/stream?topics=" + topic + "&offset=earliest"), null)) {
            assertThat(offsets(client.records(3, WAIT))).containsExactly(0L, 1L, 2L);

            TestBroker.get().stop();
            TestBroker.get().start(); // same port, same data directory
            TestBroker.produce(topic, List.of(record("k", 3), record("k", 4)));

            assertThat(offsets(client.records(2, WAIT))).containsExactly(3L, 4L);
            assertThat(client.next("record", Duration.ofSeconds(2))).isNull();
        }
        HttpResponse<String> topics = get("/api/topics");
        assertThat(topics.statusCode()).isEqualTo(200);
        assertThat(topics.body()).contains("\"name\":\"" + topic + "\"");
    }

    @Test
    void aTopicStreamStartsAtTheRequestedOffsetOrTime() throws Exception {
        String topic = uniqueTopic("one");
        TestBroker.produce(topic, List.of(record("k", 0), record("k", 1)));
        Thread.sleep(20);
        long afterTwo = System.currentTimeMillis();
        Thread.sleep(20);
        TestBroker.produce(topic, List.of(record("k", 2), record("k", 3)));
        try (SseClient byOffset = SseClient.connect(dashboard("/api/topics/" + topic + "/stream?offset=1"), null);
                SseClient byTime = SseClient.connect(dashboard("/api/topics/" + topic + "/stream?fromTime=" + afterTwo), null)) {
            assertThat(offsets(byOffset.records(3, WAIT))).containsExactly(1L, 2L, 3L);
            assertThat(offsets(byTime.records(2, WAIT))).containsExactly(2L, 3L);
        }
    }

    @Test
    void theTopicBrowserReadsTheBrokerThroughTheDashboard() throws Exception {
        String topic = uniqueTopic("browse");
        TestBroker.produce(topic, List.of(record("a", 0), record("b", 1), record("c", 2), record("d", 3)));

        JsonNode page = TestBroker.json(get("/api/topics/" + topic + "/records?offset=1&limit=2").body());
        assertThat(page.path("records").findValuesAsString("key")).containsExactly("b", "c");
        assertThat(page.path("nextOffset").asLong()).isEqualTo(3);
        assertThat(page.path("endOffset").asLong()).isEqualTo(4);

        HttpResponse<String> beyond = get("/api/topics/" + topic + "/records?offset=99");
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(TestBroker.json(beyond.body()).path("endOffset").asLong()).isEqualTo(4);

        assertThat(get("/api/topics/" + uniqueTopic("missing") + "/records").statusCode()).isEqualTo(404);
        JsonNode info = TestBroker.json(get("/api/topics/" + topic).body());
        assertThat(info.path("endOffset").asLong()).isEqualTo(4);
    }

    @Test
    void nodesAndMetricsDataShowEveryNodesLatestValuesAndGoStale() throws Exception {
        String node = uniqueTopic("node");
        long now = System.currentTimeMillis();
        TestBroker.produce("metrics.cpu", List.of(record(node, sample(node, "cpu", 10.0, now)),
                record(node, sample(node, "cpu", 12.5, now + 1))));
        TestBroker.produce("metrics.mem", List.of(record(node, sample(node, "mem", 40.0, now))));
        TestBroker.produce("metrics.disk", List.of(record(node, sample(node, "disk", 70.0, now))));

        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode data = TestBroker.json(get("/metrics-data").body()).path(node);
            assertThat(data.path("cpu").asDouble()).isEqualTo(12.5);
            assertThat(data.path("mem").asDouble()).isEqualTo(40.0);
            assertThat(data.path("disk").asDouble()).isEqualTo(70.0);
        });
        JsonNode status = nodeStatus(node);
        assertThat(status.propertyNames()).contains("node", "status", "lastSeen", "cpu", "mem", "disk");
        assertThat(status.path("status").asString()).isEqualTo("live");
        assertThat(status.path("lastSeen").asLong()).isPositive();
        await().atMost(WAIT).until(() -> nodeStatus(node).path("status").asString().equals("stale"));
    }

    private JsonNode nodeStatus(String node) throws Exception {
        for (JsonNode status : TestBroker.json(get("/api/nodes").body())) {
            if (status.path("node").asString().equals(node)) {
                return status;
            }
        }
        throw new AssertionError(node + " not in /api/nodes");
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

    private static void produceRound(List<String> topics, int from, int perTopic) {
        for (int i = from; i < from + perTopic; i++) {
            for (String topic : topics) {
                TestBroker.produce(topic, List.of(record("k", Map.of("i", i))));
            }
        }
    }

    private static List<Long> offsets(List<Event> events) {
        return events.stream().map(e -> TestBroker.json(e.data()).path("offset").asLong()).toList();
    }

    private static List<Long> range(long from, long to) {
        List<Long> range = new ArrayList<>();
        for (long i = from; i < to; i++) {
            range.add(i);
        }
        return range;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(dashboard(path))).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
