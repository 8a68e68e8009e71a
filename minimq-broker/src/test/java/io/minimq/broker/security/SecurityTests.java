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
import tools.jackson.databind.json.JsonMapper;

/** Bearer tokens and roles over real HTTP: 401 without a known token, 403 without the role. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "minimq.broker.security.tokens[0].token=producer-secret",
    "minimq.broker.security.tokens[0].roles=produce",
    "minimq.broker.security.tokens[1].token=consumer-secret",
    "minimq.broker.security.tokens[1].roles=consume",
    "minimq.broker.security.tokens[2].token=admin-secret",
    "minimq.broker.security.tokens[2].roles=admin",
    "minimq.broker.security.tokens[3].token=both-secret",
    "minimq.broker.security.tokens[3].roles=produce,consume",
    "management.endpoints.web.exposure.include=health,info,prometheus,metrics"})
class SecurityTests {

    static final Path DATA_DIR = TempDirs.create();

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("minimq.broker.data-dir", DATA_DIR::toString);
    }

    @LocalServerPort
    int port;

    TestHttp anonymous() {
        return new TestHttp(port);
    }

    TestHttp as(String token) {
        return new TestHttp(port).withToken(token);
    }

    static String topic() {
        return "s-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static final String ONE = "{\"records\":[{\"value\":1}]}";

    @Test
    void missingOrUnknownTokenIs401WithAChallenge() {
        String topic = topic();
        for (TestHttp client : new TestHttp[] {anonymous(), as("wrong-secret"), as("producer-secre"), as("producer-secret2")}) {
            for (HttpResponse<String> response : new HttpResponse[] {
                client.post("/v1/topics/" + topic + "/records", ONE), client.get("/v1/topics/" + topic + "/records"),
                client.get("/v1/topics"), client.put("/v1/topics/" + topic, "{}"), client.delete("/v1/topics/" + topic),
                client.get("/v1/groups/g/offsets"), client.post("/produce", "{\"topic\":\"t\",\"message\":\"m\"}"),
                client.get("/consume?topic=t&consumer_id=c"), client.get("/nodes")}) {
                assertThat(response.statusCode()).as(response.uri().toString()).isEqualTo(401);
                assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
                assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
            }
        }
        HttpResponse<String> malformed = anonymous().send(anonymous().builder("/v1/topics").header("Authorization", "Basic cHJvZHVjZXItc2VjcmV0"));
        assertThat(malformed.statusCode()).isEqualTo(401);
    }

    @Test
    void eachRoleMayDoItsOwnPart() {
        String topic = topic();
        // produce
        assertThat(as("producer-secret").post("/v1/topics/" + topic + "/records", ONE).statusCode()).isEqualTo(201);
        assertThat(as("producer-secret").post("/produce", "{\"topic\":\"" + topic + "\",\"message\":\"m\"}").statusCode()).isEqualTo(201);
        assertForbidden(as("producer-secret").get("/v1/topics/" + topic + "/records"));
        assertForbidden(as("producer-secret").get("/consume?topic=" + topic + "&consumer_id=c"));
        assertForbidden(as("producer-secret").put("/v1/groups/g/offsets/" + topic, "{\"offset\":0}"));
        assertForbidden(as("producer-secret").put("/v1/topics/" + topic, "{}"));
        assertForbidden(as("producer-secret").delete("/v1/topics/" + topic));
        // consume
        assertThat(as("consumer-secret").get("/v1/topics/" + topic + "/records").statusCode()).isEqualTo(200);
        assertThat(as("consumer-secret").get("/consume?topic=" + topic + "&consumer_id=c").statusCode()).isEqualTo(200);
        assertThat(as("consumer-secret").put("/v1/groups/g/offsets/" + topic, "{\"offset\":1}").statusCode()).isEqualTo(204);
        assertThat(as("consumer-secret").get("/v1/groups/g/offsets").statusCode()).isEqualTo(200);
        assertForbidden(as("consumer-secret").post("/v1/topics/" + topic + "/records", ONE));
        assertForbidden(as("consumer-secret").post("/produce", "{\"topic\":\"t\",\"message\":\"m\"}"));
        assertForbidden(as("consumer-secret").put("/v1/topics/" + topic, "{}"));
        assertForbidden(as("consumer-secret").delete("/v1/topics/" + topic));
        // metadata: any known token
        for (String token : new String[] {"producer-secret", "consumer-secret", "admin-secret"}) {
            assertThat(as(token).get("/v1/topics").statusCode()).isEqualTo(200);
            assertThat(as(token).get("/v1/topics/" + topic).statusCode()).isEqualTo(200);
            assertThat(as(token).get("/nodes").statusCode()).isEqualTo(200);
        }
        // both
        assertThat(as("both-secret").post("/v1/topics/" + topic + "/records", ONE).statusCode()).isEqualTo(201);
        assertThat(as("both-secret").get("/v1/topics/" + topic + "/records").statusCode()).isEqualTo(200);
        assertForbidden(as("both-secret").delete("/v1/topics/" + topic));
        // admin may do everything
        assertThat(as("admin-secret").put("/v1/topics/" + topic, "{\"retentionMs\": 60000}").statusCode()).isEqualTo(200);
        assertThat(as("admin-secret").post("/v1/topics/" + topic + "/records", ONE).statusCode()).isEqualTo(201);
        assertThat(as("admin-secret").get("/v1/topics/" + topic + "/records").statusCode()).isEqualTo(200);
        assertThat(as("admin-secret").delete("/v1/topics/" + topic).statusCode()).isEqualTo(204);
    }

    @Test
    void probesAndMetricsStayOpenOtherActuatorEndpointsNeedAdmin() {
        assertThat(anonymous().get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(anonymous().get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        assertThat(anonymous().get("/actuator/health").statusCode()).isEqualTo(200);
        assertThat(anonymous().get("/actuator/prometheus").statusCode()).isEqualTo(200);
        assertThat(anonymous().get("/actuator/info").statusCode()).isEqualTo(401);
        assertThat(anonymous().get("/actuator/metrics").statusCode()).isEqualTo(401);
        assertThat(as("consumer-secret").get("/actuator/metrics").statusCode()).isEqualTo(403);
        assertThat(as("admin-secret").get("/actuator/info").statusCode()).isEqualTo(200);
        assertThat(as("admin-secret").get("/actuator/metrics").statusCode()).isEqualTo(200);
    }

    @Test
    void unknownPathsStay404WithoutAToken() {
        assertThat(anonymous().get("/nothing-here").statusCode()).isEqualTo(404);
    }

    private static void assertForbidden(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.request().method() + " " + response.uri()).isEqualTo(403);
        assertThat(JsonMapper.builder().build().readTree(response.body()).get("title").asString()).isEqualTo("Forbidden");
        assertThat(response.headers().map()).doesNotContainKey("www-authenticate");
    }

}
