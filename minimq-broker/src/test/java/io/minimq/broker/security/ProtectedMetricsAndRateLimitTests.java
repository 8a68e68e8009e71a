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
    "minimq.broker.security.protect-metrics=true",
    "minimq.broker.rate-limit.per-client=50"})
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
        StringBuilder forty = new StringBuilder("{\"records\":[");
        for (int i = 0; i < 40; i++) {
            forty.append(i == 0 ? "" : ",").append("{\"value\":").append(i).append('}');
        }
        String batch = forty.append("]}").toString();

        assertThat(greedy.post("/v1/topics/" + topic + "/records", batch).statusCode()).isEqualTo(201);
        // 40 of 50 used within the second: another 40 records are over the limit, counted in records not requests
        HttpResponse<String> refused = greedy.post("/v1/topics/" + topic + "/records", batch);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(refused.body()).contains("\"title\":\"Too many requests\"");

        assertThat(polite.post("/v1/topics/" + topic + "/records", batch).statusCode()).as("another client").isEqualTo(201);
        assertThat(polite.get("/v1/topics/" + topic + "/records?limit=5").statusCode()).isEqualTo(200);

        // a flood of small requests from one client is cut off too; the refused produce appended nothing
        int tooMany = 0;
        for (int i = 0; i < 60; i++) {
            if (greedy.get("/v1/topics/" + topic).statusCode() == 429) {
                tooMany++;
            }
        }
        assertThat(tooMany).isPositive();
        assertThat(new TestHttp(port).withToken("admin").get("/v1/topics/" + topic).body()).contains("\"endOffset\":80");
    }
}
