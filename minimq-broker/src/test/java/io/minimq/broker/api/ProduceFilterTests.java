package io.minimq.broker.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.minimq.broker.OpenBrokerTestBase;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;

/**
 * The produce served below Spring MVC ({@link ProduceFilter}) answers exactly as the
 * controller does: every request here is sent twice, once in the form that filter takes and
 * once in a form it leaves to Spring MVC, and the two answers must match to the byte (apart
 * from the topic name).
 */
class ProduceFilterTests extends OpenBrokerTestBase {

    private static final String JSON_TYPE = "application/json";
    /** A spelling Spring MVC's media-type matching accepts and the filter leaves to it. */
    private static final String MVC_JSON_TYPE = "application/json ; charset=UTF-8";

    @Autowired
    private List<FilterRegistrationBean<?>> filters;

    @Test
    void takesPlainJsonPostsToTheRecordsPathOnly() {
        assertThat(ProduceFilter.topicOf("/v1/topics/metrics.cpu/records")).isEqualTo("metrics.cpu");
        assertThat(ProduceFilter.topicOf("/v1/topics/../records")).isEqualTo(".."); // refused by the name check, as in MVC
        for (String other : List.of("/v1/topics//records", "/v1/topics/a%2Eb/records", "/v1/topics/a;x=1/records",
                "/v1/topics/a/b/records", "/v1/topics/a/records/", "/v1/topics/a", "/v1/topics/records", "/v2/topics/a/records",
                "/produce", "/v1/topics/a/recordsx")) {
            assertThat(ProduceFilter.topicOf(other)).as(other).isNull();
        }
        assertThat(ProduceFilter.isJson("application/json")).isTrue();
        assertThat(ProduceFilter.isJson("Application/JSON;charset=utf-8")).isTrue();
        for (String other : List.of("application/jsonx", "application/json-patch+json", "text/plain", "", MVC_JSON_TYPE)) {
            assertThat(ProduceFilter.isJson(other)).as(other).isFalse();
        }
    }

    @Test
    void runsAfterTheTokenCheckAndTheRateLimit() {
        FilterRegistrationBean<?> produce = filters.stream().filter(f -> f.getFilter() instanceof ProduceFilter).findFirst().orElseThrow();
        assertThat(produce.isEnabled()).isTrue();
        assertThat(produce.getUrlPatterns()).containsExactly("/v1/topics/*");
        List<FilterRegistrationBean<?>> security = filters.stream()
                .filter(f -> f.getFilter().getClass().getPackageName().endsWith(".security")).toList();
        assertThat(security).hasSize(2);
        assertThat(security).allSatisfy(f -> assertThat(f.getOrder()).isLessThan(produce.getOrder()));
        assertThat(produce.getOrder()).isLessThan(Ordered.LOWEST_PRECEDENCE);
    }

    @Test
    void answersAsTheControllerDoes() {
        Map<String, Request> requests = new LinkedHashMap<>();
        requests.put("one record", new Request("{\"records\":[{\"key\":\"k\",\"value\":{\"a\":1},\"headers\":{\"h\":\"v\"}}]}"));
        requests.put("a batch", new Request("{\"records\":[{\"value\":1},{\"value\":\"two\"},{\"value\":[3]}]}"));
        requests.put("malformed", new Request("{\"records\":[{\"value\":}]}"));
        requests.put("wrong shape", new Request("{\"records\":{\"value\":1}}"));
        requests.put("no records", new Request("{\"records\":[]}"));
        requests.put("bad UTF-8", new Request(new byte[] {'{', '"', 'r', (byte) 0xC3, '"', ':', '1', '}'}));
        requests.put("over the record limit", new Request("{\"records\":[{\"value\":\"" + "x".repeat(70 * 1024) + "\"}]}"));
        requests.put("half the producer headers", new Request("{\"records\":[{\"value\":1}]}", "MiniMQ-Producer-Id", "p"));
        requests.put("first of a producer", new Request("{\"records\":[{\"value\":1}]}", "MiniMQ-Producer-Id", "p", "MiniMQ-Producer-Seq", "5"));
        requests.put("its retry", new Request("{\"records\":[{\"value\":1}]}", "MiniMQ-Producer-Id", "p", "MiniMQ-Producer-Seq", "5"));
        requests.put("a lower sequence", new Request("{\"records\":[{\"value\":1}]}", "MiniMQ-Producer-Id", "p", "MiniMQ-Producer-Seq", "4"));

        String fast = freshTopic();
        String mvc = freshTopic();
        requests.forEach((name, request) -> {
            HttpResponse<String> viaFilter = send(request, fast, JSON_TYPE);
            HttpResponse<String> viaMvc = send(request, mvc, MVC_JSON_TYPE);
            assertSame(name, viaFilter, fast, viaMvc, mvc);
        });
        // and what they appended reads back the same
        assertThat(storedRecords(fast)).isEqualTo(storedRecords(mvc)).contains("\"value\":[3]");
    }

    @Test
    void badTopicNamesAnswerAsTheControllerDoes() {
        byte[] body = "{\"records\":[{\"value\":1}]}".getBytes();
        // "bad!name" fails the name check; percent-encoded, it is left to Spring MVC, which decodes it
        HttpResponse<String> viaFilter = http().send("POST", "/v1/topics/bad!name/records", Map.of("Content-Type", JSON_TYPE), body);
        HttpResponse<String> viaMvc = http().send("POST", "/v1/topics/bad%21name/records", Map.of("Content-Type", JSON_TYPE), body);
        assertProblem(viaFilter, 400, null);
        assertSame("bad name", viaFilter, "", viaMvc, "");
    }

    private static void assertSame(String name, HttpResponse<String> a, String topicA, HttpResponse<String> b, String topicB) {
        assertThat(a.statusCode()).as(name + ": " + a.body()).isEqualTo(b.statusCode());
        assertThat(a.headers().firstValue("Content-Type")).as(name).isEqualTo(b.headers().firstValue("Content-Type"));
        assertThat(a.headers().firstValue("Retry-After")).as(name).isEqualTo(b.headers().firstValue("Retry-After"));
        String bodyA = topicA.isEmpty() ? a.body() : a.body().replace(topicA, "T");
        String bodyB = topicB.isEmpty() ? b.body() : b.body().replace(topicB, "T");
        assertThat(bodyA).as(name).isEqualTo(bodyB);
        if (a.statusCode() >= 400) {
            assertProblem(a, a.statusCode(), null);
        }
    }

    private HttpResponse<String> send(Request request, String topic, String contentType) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        for (int i = 0; i < request.headers().length; i += 2) {
            headers.put(request.headers()[i], request.headers()[i + 1]);
        }
        return http().send("POST", "/v1/topics/" + topic + "/records", headers, request.body());
    }

    private String storedRecords(String topic) {
        return http().get("/v1/topics/" + topic + "/records?offset=0").body().replace(topic, "T")
                .replaceAll("\"timestamp\":\\d+", "\"timestamp\":0");
    }

    private record Request(byte[] body, String... headers) {

        Request(String body, String... headers) {
            this(body.getBytes(StandardCharsets.UTF_8), headers);
        }
    }
}
