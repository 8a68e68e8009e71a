package io.minimq.broker.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minimq.broker.BrokerApplication;
import io.minimq.broker.TestHttp;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import kafka.server.BrokerServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two real broker apps (the HTTP tier) on one real Kafka, as the Kubernetes overlay runs them:
 * a record produced through one is fetched through the other, an idempotent retry through the
 * other is not duplicated, and while Kafka is down produce answers 503 and readiness is DOWN.
 */
class KafkaReplicasTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static EmbeddedKafkaKraftBroker kafka;
    private static ConfigurableApplicationContext replicaA;
    private static ConfigurableApplicationContext replicaB;

    @BeforeAll
    static void start() throws Exception {
        kafka = SharedKafka.start(SharedKafka.freePort());
        replicaA = replica();
        replicaB = replica();
    }

    private static ConfigurableApplicationContext replica() {
        return SpringApplication.run(BrokerApplication.class, "--server.port=0", "--minimq.broker.storage=kafka",
                "--minimq.broker.kafka.bootstrap-servers=" + kafka.getBrokersAsString(),
                "--minimq.broker.kafka.request-timeout=3s", "--spring.lifecycle.timeout-per-shutdown-phase=2s");
    }

    @AfterAll
    static void stop() {
        for (ConfigurableApplicationContext app : new ConfigurableApplicationContext[] {replicaA, replicaB}) {
            if (app != null) {
                app.close();
            }
        }
        if (kafka != null) {
            kafka.destroy();
        }
    }

    private static TestHttp http(ConfigurableApplicationContext app) {
        return new TestHttp(((WebServerApplicationContext) app).getWebServer().getPort());
    }

    private static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    @Test
    void aRecordProducedThroughOneReplicaIsFetchedThroughTheOtherAndRetriesAreNotDuplicated() {
        Map<String, String> seq1 = Map.of("Content-Type", "application/json", "MiniMQ-Producer-Id", "agent-x",
                "MiniMQ-Producer-Seq", "1");
        byte[] body = "{\"records\":[{\"key\":\"n1\",\"value\":{\"cpu\":1}},{\"key\":\"n1\",\"value\":{\"cpu\":2}}]}"
                .getBytes();
        HttpResponse<String> first = http(replicaA).send("POST", "/v1/topics/replicated/records", seq1, body);
        HttpResponse<String> retry = http(replicaB).send("POST", "/v1/topics/replicated/records", seq1, body);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
        assertThat(json(retry).get("offsets")).isEqualTo(json(first).get("offsets"));

        JsonNode fetched = json(http(replicaB).get("/v1/topics/replicated/records?offset=0"));
        assertThat(fetched.get("records").size()).isEqualTo(2);
        assertThat(fetched.get("records").get(1).get("value").get("cpu").asInt()).isEqualTo(2);

        // A long poll on one replica returns when a record lands through the other.
        var waiting = java.util.concurrent.CompletableFuture.supplyAsync(() -> http(replicaA)
                .get("/v1/topics/replicated/records?offset=" + fetched.get("nextOffset").asLong() + "&maxWaitMs=20000"));
        http(replicaB).post("/v1/topics/replicated/records", "{\"records\":[{\"value\":\"late\"}]}");
        JsonNode woken = json(waiting.join());
        assertThat(woken.get("records").get(0).get("value").asString()).isEqualTo("late");
    }

    @Test
    void whileKafkaIsDownProduceIs503AndReadinessIsDown() {
        assertThat(http(replicaA).post("/v1/topics/outage/records", "{\"records\":[{\"value\":1}]}").statusCode())
                .isEqualTo(201);
        BrokerServer broker = kafka.getCluster().brokers().values().iterator().next();
        broker.shutdown();
        broker.awaitShutdown();
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> http(replicaA).get("/actuator/health/readiness").statusCode() == 503);
            HttpResponse<String> refused = http(replicaA).post("/v1/topics/outage/records",
                    "{\"records\":[{\"value\":2}]}");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(refused.body()).doesNotContain("Exception");
            assertThat(http(replicaA).get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        } finally {
            broker.startup();
        }
        await().atMost(Duration.ofSeconds(60))
                .until(() -> http(replicaA).get("/actuator/health/readiness").statusCode() == 200);
        await().atMost(Duration.ofSeconds(60)).until(() -> http(replicaB)
                .post("/v1/topics/outage/records", "{\"records\":[{\"value\":3}]}").statusCode() == 201);
        JsonNode records = json(http(replicaA).get("/v1/topics/outage/records?offset=0")).get("records");
        assertThat(records.get(0).get("value").asInt()).isEqualTo(1);
        assertThat(records.findValues("value").stream().map(JsonNode::asInt)).contains(1, 3);
    }
}
