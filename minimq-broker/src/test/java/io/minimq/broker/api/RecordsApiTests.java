package io.minimq.broker.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.minimq.broker.OpenBrokerTestBase;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Produce and fetch over real HTTP: the happy paths, the limits and every error status of the spec. */
class RecordsApiTests extends OpenBrokerTestBase {

    private HttpResponse<String> produce(String topic, String body) {
        return http().post("/v1/topics/" + topic + "/records", body);
    }

    private HttpResponse<String> fetch(String topic, String query) {
        return http().get("/v1/topics/" + topic + "/records" + query);
    }

    @Test
    void producesContiguousOffsetsAndFetchesThemBack() {
        String topic = freshTopic();
        HttpResponse<String> first = produce(topic, "{\"records\":[{\"key\":\"node-a\",\"value\":{\"cpu\":12.5},\"headers\":{\"unit\":\"percent\"}}]}");
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(first.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(json(first).get("topic").asString()).isEqualTo(topic);
        assertThat(json(first).get("offsets").toString()).isEqualTo("[0]");

        HttpResponse<String> batch = produce(topic, "{\"records\":[{\"value\":1},{\"value\":2},{\"value\":3}]}");
        assertThat(batch.statusCode()).isEqualTo(201);
        assertThat(json(batch).get("offsets").toString()).isEqualTo("[1,2,3]");

        JsonNode fetched = json(fetch(topic, "?offset=0&limit=10"));
        assertThat(fetched.get("topic").asString()).isEqualTo(topic);
        assertThat(fetched.get("records").size()).isEqualTo(4);
        JsonNode record = fetched.get("records").get(0);
        assertThat(record.get("offset").asLong()).isZero();
        assertThat(record.get("timestamp").asLong()).isGreaterThan(1_700_000_000_000L);
        assertThat(record.get("key").asString()).isEqualTo("node-a");
        assertThat(record.get("headers").get("unit").asString()).isEqualTo("percent");
        assertThat(record.get("value").get("cpu").asDouble()).isEqualTo(12.5);
        assertThat(fetched.get("records").get(1).get("key").isNull()).isTrue();
        assertThat(fetched.get("nextOffset").asLong()).isEqualTo(4);
        assertThat(fetched.get("startOffset").asLong()).isZero();
        assertThat(fetched.get("endOffset").asLong()).isEqualTo(4);

        JsonNode page = json(fetch(topic, "?offset=1&limit=2"));
        assertThat(page.get("records").size()).isEqualTo(2);
        assertThat(page.get("records").get(0).get("offset").asLong()).isEqualTo(1);
        assertThat(page.get("nextOffset").asLong()).isEqualTo(3);
    }

    @Test
    void valuesComeBackByteForByte() {
        String topic = freshTopic();
        List<String> values = List.of("{\"a\": [1, 2.50, {\"b\": null}], \"c\" : \"x\\u00e9\\n\"}", "[]", "\"caf\u00e9 \\\"quoted\\\"\"",
                "-12.5e+3", "true", "false", "null", "{}", "0", "\"\\ud83d\\ude00 \uD83D\uDE00\"");
        StringBuilder body = new StringBuilder("{\"records\":[");
        for (int i = 0; i < values.size(); i++) {
            body.append(i == 0 ? "" : ",").append("{\"value\": ").append(values.get(i)).append(" }");
        }
        assertThat(produce(topic, body.append("]}").toString()).statusCode()).isEqualTo(201);

        String raw = fetch(topic, "?offset=0&limit=100").body();
        for (String value : values) {
            assertThat(raw).contains("\"value\":" + value + "}");
        }
    }

    @Test
    void fetchesFromEarliestLatestAndTime() throws Exception {
        String topic = freshTopic();
        produce(topic, "{\"records\":[{\"value\":\"old\"}]}");
        Thread.sleep(20);
        long between = System.currentTimeMillis();
        Thread.sleep(20);
        produce(topic, "{\"records\":[{\"value\":\"new\"}]}");

        assertThat(json(fetch(topic, "")).get("records").size()).isEqualTo(2);
        assertThat(json(fetch(topic, "?offset=earliest")).get("records").get(0).get("value").asString()).isEqualTo("old");
        JsonNode latest = json(fetch(topic, "?offset=latest"));
        assertThat(latest.get("records").size()).isZero();
        assertThat(latest.get("nextOffset").asLong()).isEqualTo(2);
        JsonNode fromTime = json(fetch(topic, "?fromTime=" + between));
        assertThat(fromTime.get("records").size()).isEqualTo(1);
        assertThat(fromTime.get("records").get(0).get("value").asString()).isEqualTo("new");
        assertThat(json(fetch(topic, "?fromTime=" + (System.currentTimeMillis() + 60_000))).get("records").size()).isZero();
    }

    @Test
    void idempotentRetriesAreAppendedOnce() {
        String topic = freshTopic();
        Map<String, String> headers = Map.of("Content-Type", "application/json",
                "MiniMQ-Producer-Id", "agent-1", "MiniMQ-Producer-Seq", "7");
        byte[] body = "{\"records\":[{\"value\":1},{\"value\":2}]}".getBytes();
        HttpResponse<String> first = http().send("POST", "/v1/topics/" + topic + "/records", headers, body);
        HttpResponse<String> retry = http().send("POST", "/v1/topics/" + topic + "/records", headers, body);

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(json(retry).get("offsets")).isEqualTo(json(first).get("offsets"));
        assertThat(json(fetch(topic, "?offset=0")).get("records").size()).isEqualTo(2);

        HttpResponse<String> next = http().send("POST", "/v1/topics/" + topic + "/records",
                Map.of("Content-Type", "application/json", "MiniMQ-Producer-Id", "agent-1", "MiniMQ-Producer-Seq", "8"), body);
        assertThat(next.statusCode()).isEqualTo(201);
        if (fileLog()) {
            assertThat(json(next).get("offsets").toString()).isEqualTo("[2,3]");
        } else {
            JsonNode offsets = json(next).get("offsets");
            assertThat(offsets.get(0).asLong()).isGreaterThan(json(first).get("offsets").get(1).asLong());
            assertThat(offsets.get(1).asLong()).isEqualTo(offsets.get(0).asLong() + 1);
        }

        HttpResponse<String> lower = http().send("POST", "/v1/topics/" + topic + "/records",
                Map.of("Content-Type", "application/json", "MiniMQ-Producer-Id", "agent-1", "MiniMQ-Producer-Seq", "3"), body);
        assertProblem(lower, 409, "Sequence conflict");
        assertThat(json(fetch(topic, "?offset=0")).get("records").size()).isEqualTo(4);

        assertProblem(http().send("POST", "/v1/topics/" + topic + "/records",
                Map.of("Content-Type", "application/json", "MiniMQ-Producer-Id", "agent-1"), body), 400, "Invalid producer headers");
        assertProblem(http().send("POST", "/v1/topics/" + topic + "/records",
                Map.of("Content-Type", "application/json", "MiniMQ-Producer-Id", "a", "MiniMQ-Producer-Seq", "x"), body),
                400, "Invalid producer headers");
    }

    @Test
    void longPollAnswersAsSoonAsARecordLands() throws Exception {
        String topic = freshTopic();
        produce(topic, "{\"records\":[{\"value\":0}]}");
        long start = System.nanoTime();
        CompletableFuture<HttpResponse<String>> poll = pollAsync(topic, 1, 30_000);
        Thread.sleep(300);
        assertThat(poll).isNotDone();
        produce(topic, "{\"records\":[{\"value\":\"landed\"}]}");

        HttpResponse<String> answer = poll.get(25, TimeUnit.SECONDS);
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(json(answer).get("records").get(0).get("value").asString()).isEqualTo("landed");
        assertThat(elapsedMs).as("answered on the append, long before the 30 s wait ended").isLessThan(25_000);
    }

    @Test
    void longPollAnswersEmptyAtTheDeadline() {
        String topic = freshTopic();
        produce(topic, "{\"records\":[{\"value\":0}]}");
        long start = System.nanoTime();
        HttpResponse<String> answer = fetch(topic, "?offset=1&maxWaitMs=400");
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(json(answer).get("records").size()).isZero();
        assertThat(json(answer).get("nextOffset").asLong()).isEqualTo(1);
        assertThat(elapsedMs).isGreaterThanOrEqualTo(350);
    }

    @Test
    void waitingFetchesHoldNoServerThread() throws Exception {
        String topic = freshTopic();
        produce(topic, "{\"records\":[{\"value\":0}]}");
        // more waiting fetches than Tomcat has worker threads (200): if each held one, nothing else would be served
        List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
        for (int i = 0; i < 260; i++) {
            polls.add(pollAsync(topic, 1, 30_000));
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(25))
                .until(() -> waitingPolls() >= 260);
        HttpResponse<String> other = http().send(http().builder("/v1/topics/" + topic)
                .timeout(java.time.Duration.ofSeconds(10)).GET());
        assertThat(other.statusCode()).as("answered while 260 fetches wait").isEqualTo(200);
        assertThat(polls).allSatisfy(poll -> assertThat(poll).isNotDone());

        produce(topic, "{\"records\":[{\"value\":\"wake\"}]}");
        for (CompletableFuture<HttpResponse<String>> poll : polls) {
            HttpResponse<String> answer = poll.get(25, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(json(answer).get("records").get(0).get("value").asString()).isEqualTo("wake");
        }
    }

    /** Long polls parked right now, from the broker's {@code minimq_long_polls_waiting} gauge. */
    private long waitingPolls() {
        for (String line : http().get("/actuator/prometheus").body().split("\n")) {
            if (line.startsWith("minimq_long_polls_waiting{")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    private final java.net.http.HttpClient pollClient = java.net.http.HttpClient.newHttpClient();

    private CompletableFuture<HttpResponse<String>> pollAsync(String topic, long offset, int maxWaitMs) {
        return pollClient.sendAsync(http().builder("/v1/topics/" + topic + "/records?offset=" + offset + "&maxWaitMs=" + maxWaitMs)
                .GET().build(), BodyHandlers.ofString());
    }

    @Test
    void refusesBadFetchParameters() {
        String topic = freshTopic();
        produce(topic, "{\"records\":[{\"value\":0}]}");
        for (String query : List.of("?limit=0", "?limit=10001", "?limit=abc", "?limit=", "?maxWaitMs=-1", "?maxWaitMs=30001",
                "?maxWaitMs=1.5", "?offset=-1", "?offset=abc", "?offset=99999999999999999999", "?fromTime=x",
                "?fromTime=-5", "?offset=0&fromTime=0", "?offset=EARLIEST")) {
            assertProblem(fetch(topic, query), 400, "Invalid parameter");
        }
        assertThat(fetch(topic, "?limit=10000&maxWaitMs=0").statusCode()).isEqualTo(200);
    }

    @Test
    void offsetPastTheEndIs416WithTheBounds() {
        String topic = freshTopic();
        produce(topic, "{\"records\":[{\"value\":0},{\"value\":1}]}");
        JsonNode problem = assertProblem(fetch(topic, "?offset=3"), 416, "Offset out of range");
        assertThat(problem.get("startOffset").asLong()).isZero();
        assertThat(problem.get("endOffset").asLong()).isEqualTo(2);
        assertThat(fetch(topic, "?offset=2").statusCode()).isEqualTo(200);
    }

    @Test
    void unknownTopicIs404AndBadNamesAre400() {
        assertProblem(fetch("no-such-topic-" + freshTopic(), ""), 404, "Topic not found");
        assertProblem(fetch("__internal", ""), 400, "Invalid topic name");
        assertProblem(produce("__consumer_offsets", "{\"records\":[{\"value\":0}]}"), 400, "Invalid topic name");
        assertProblem(produce("a".repeat(250), "{\"records\":[{\"value\":0}]}"), 400, "Invalid topic name");
        assertProblem(produce("bad$name", "{\"records\":[{\"value\":0}]}"), 400, "Invalid topic name");
        assertProblem(produce("..", "{\"records\":[{\"value\":0}]}"), 400, null);
    }

    @Test
    void refusesWrongShapes() {
        String topic = freshTopic();
        for (String body : List.of("{\"records\":[]}", "{}", "[]", "{\"records\":{}}", "{\"records\":[1]}",
                "{\"records\":[{\"key\":\"k\"}]}", "{\"records\":[{\"value\":1,\"key\":5}]}",
                "{\"records\":[{\"value\":1,\"headers\":[]}]}", "{\"records\":[{\"value\":1,\"headers\":{\"a\":1}}]}",
                "{\"records\":[{\"value\":1,\"key\":\"" + "k".repeat(1025) + "\"}]}", "\"records\"", "null")) {
            assertProblem(produce(topic, body), 400, null);
        }
        StringBuilder headers = new StringBuilder();
        for (int i = 0; i < 33; i++) {
            headers.append(i == 0 ? "" : ",").append("\"h").append(i).append("\":\"v\"");
        }
        assertProblem(produce(topic, "{\"records\":[{\"value\":1,\"headers\":{" + headers + "}}]}"), 400, null);
        for (String body : List.of("{", "{\"records\":[{\"value\":}]}", "{\"records\":[{\"value\":1}]} trailing",
                "{\"records\":[{\"value\":01}]}", "{'records':[]}", "")) {
            assertProblem(produce(topic, body), 400, null);
        }
        assertProblem(fetch(topic, ""), 404, "Topic not found");
    }

    @Test
    void refusesWhatIsTooLarge() {
        String topic = freshTopic();
        String bigValue = "\"" + "x".repeat(70 * 1024) + "\"";
        assertProblem(produce(topic, "{\"records\":[{\"value\":" + bigValue + "}]}"), 413, "Record too large");
        StringBuilder many = new StringBuilder("{\"records\":[");
        for (int i = 0; i < 501; i++) {
            many.append(i == 0 ? "" : ",").append("{\"value\":").append(i).append('}');
        }
        assertProblem(produce(topic, many.append("]}").toString()), 413, "Too many records");
        String huge = "{\"records\":[{\"value\":\"" + "y".repeat(1100 * 1024) + "\"}]}";
        assertProblem(produce(topic, huge), 413, "Request too large");
        assertThat(http().get("/v1/topics/" + topic).statusCode()).isEqualTo(404);
    }

    @Test
    void refusesChunkedBodiesOverTheLimitWhileReading() {
        String topic = freshTopic();
        HttpResponse<String> response = http().send(http().builder("/v1/topics/" + topic + "/records")
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofInputStream(() -> new java.io.SequenceInputStream(
                        new java.io.ByteArrayInputStream("{\"records\":[{\"value\":\"".getBytes()),
                        new java.io.ByteArrayInputStream(new byte[2 * 1024 * 1024])))));
        assertProblem(response, 413, "Request too large");
    }

    @Test
    void wrongContentTypeIs415() {
        String topic = freshTopic();
        byte[] body = "{\"records\":[{\"value\":1}]}".getBytes();
        assertProblem(http().send("POST", "/v1/topics/" + topic + "/records", Map.of("Content-Type", "text/plain"), body), 415, null);
        assertProblem(http().send("POST", "/v1/topics/" + topic + "/records", Map.of(), body), 415, null);
        assertThat(http().send("POST", "/v1/topics/" + topic + "/records",
                Map.of("Content-Type", "application/json; charset=utf-8"), body).statusCode()).isEqualTo(201);
    }

    @Test
    void unknownPathsAndMethodsAreProblems() {
        assertProblem(http().get("/v2/nothing"), 404, null);
        assertProblem(http().get("/"), 404, null);
        assertProblem(http().post("/bench/noop", "{}"), 404, null); // the benchmark's no-op is off by default
        assertProblem(http().send("PATCH", "/v1/topics/x/records", Map.of("Content-Type", "application/json"), "{}".getBytes()), 405, null);
        HttpResponse<String> delete = http().delete("/v1/topics/x/records");
        assertProblem(delete, 405, null);
        assertThat(delete.headers().firstValue("Allow")).isPresent();
    }
}
