package io.minimq.broker.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.minimq.broker.TempDirs;
import io.minimq.broker.TestHttp;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Each test uses its own tokens, so that one test's spent buckets never show in another.
 * {@code protect-metrics} puts Prometheus behind {@code admin}; {@code rate-limit.per-client}
 * answers 429 with Retry-After once a client is over its records per second, without touching
 * other clients.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "minimq.broker.security.tokens[0].token=greedy",
    "minimq.broker.security.tokens[0].roles=produce,consume",
    "minimq.broker.security.tokens[1].token=polite",
    "minimq.broker.security.tokens[1].roles=produce,consume",
    "minimq.broker.security.tokens[2].token=admin",
    "minimq.broker.security.tokens[2].roles=admin",
    "minimq.broker.security.tokens[3].token=reader",
    "minimq.broker.security.tokens[3].roles=consume",
    "minimq.broker.security.tokens[4].token=loader",
    "minimq.broker.security.tokens[4].roles=produce",
    "minimq.broker.security.protect-metrics=true",
    "minimq.broker.rate-limit.per-client=20"})
class ProtectedMetricsAndRateLimitTests {

    static final Path DATA_DIR = TempDirs.create();

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("minimq.broker.data-dir", DATA_DIR::toString);
    }

    @LocalServerPort
    int port;

    @Test
    void metricsNeedAdminWhenProtected() {
        TestHttp anonymous = new TestHttp(port);
        assertThat(anonymous.get("/actuator/prometheus").statusCode()).isEqualTo(401);
        assertThat(anonymous.withToken("greedy").get("/actuator/prometheus").statusCode()).isEqualTo(403);
        assertThat(anonymous.withToken("admin").get("/actuator/prometheus").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
    }

    @Test
    void aClientOverItsRecordsPerSecondGets429AndOthersDoNot() {
        String topic = "r-" + UUID.randomUUID().toString().substring(0, 8);
        TestHttp greedy = new TestHttp(port).withToken("greedy");
        TestHttp polite = new TestHttp(port).withToken("polite");
        String batch = batchOf(20);

        // 20-record batches back to back: the 20 records/s bucket runs dry within a few requests
        int accepted = 0;
        HttpResponse<String> refused = null;
        for (int i = 0; i < 30 && refused == null; i++) {
            HttpResponse<String> answer = greedy.post("/v1/topics/" + topic + "/records", batch);
            if (answer.statusCode() == 429) {
                refused = answer;
            } else {
                assertThat(answer.statusCode()).isEqualTo(201);
                accepted++;
            }
        }
        assertThat(refused).as("a 429 within 30 back-to-back batches").isNotNull();
        assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(refused.body()).contains("\"title\":\"Too many requests\"");
        assertThat(polite.post("/v1/topics/" + topic + "/records", batch).statusCode()).as("another client").isEqualTo(201);
        assertThat(new TestHttp(port).withToken("admin").get("/v1/topics/" + topic).body())
                .as("the refused batch appended nothing").contains("\"endOffset\":" + (accepted + 1) * 20);
    }

    @Test
    void aFetchIsChargedTheRecordsItReturned() {
        String topic = "f-" + UUID.randomUUID().toString().substring(0, 8);
        TestHttp loader = new TestHttp(port).withToken("loader");
        // one request: a batch larger than the bucket costs one full bucket
        assertThat(loader.post("/v1/topics/" + topic + "/records", batchOf(100)).statusCode()).isEqualTo(201);
        TestHttp reader = new TestHttp(port).withToken("reader");
        HttpResponse<String> big = reader.get("/v1/topics/" + topic + "/records?offset=0&limit=100");
        assertThat(big.statusCode()).isEqualTo(200);
        // 100 records read at 20 records/s leave the client seconds in debt
        HttpResponse<String> next = reader.get("/v1/topics/" + topic + "/records?offset=0&limit=1");
        assertThat(next.statusCode()).isEqualTo(429);
        assertThat(next.headers().firstValue("Retry-After")).isPresent();
    }

    private static String batchOf(int records) {
        StringBuilder body = new StringBuilder("{\"records\":[");
        for (int i = 0; i < records; i++) {
            body.append(i == 0 ? "" : ",").append("{\"value\":").append(i).append('}');
        }
        return body.append("]}").toString();
    }
}
