package io.minimq.broker.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.minimq.broker.BrokerApplication;
import io.minimq.broker.TempDirs;
import io.minimq.broker.TestHttp;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The broker's life: started, stopped and started again on the same data directory (records,
 * group offsets and producer sequences survive), readiness following the data directory, the
 * start-up line, and a graceful stop that answers waiting long polls.
 */
@ExtendWith(OutputCaptureExtension.class)
class LifecycleTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static ConfigurableApplicationContext start(Path dataDir, String... extra) {
        String[] args = new String[extra.length + 2];
        args[0] = "--server.port=0";
        args[1] = "--minimq.broker.data-dir=" + dataDir;
        for (int i = 0; i < extra.length; i++) {
            args[i + 2] = "--" + extra[i];
        }
        return new SpringApplicationBuilder(BrokerApplication.class).run(args);
    }

    private static TestHttp http(ConfigurableApplicationContext context) {
        return new TestHttp(((WebServerApplicationContext) context).getWebServer().getPort());
    }

    @Test
    void aRestartOnTheSameDataDirKeepsRecordsOffsetsAndProducerSequences() {
        Path dataDir = TempDirs.create();
        Map<String, String> producer = Map.of("Content-Type", "application/json", "MiniMQ-Producer-Id", "agent-7",
                "MiniMQ-Producer-Seq", "41");
        byte[] batch = "{\"records\":[{\"key\":\"k\",\"value\":{\"n\":1}},{\"value\":[true,null]}]}".getBytes();
        String before;
        try (ConfigurableApplicationContext first = start(dataDir)) {
            TestHttp http = http(first);
            assertThat(http.send("POST", "/v1/topics/kept/records", producer, batch).statusCode()).isEqualTo(201);
            http.post("/produce", "{\"topic\":\"kept\",\"message\":\"third\"}");
            assertThat(http.put("/v1/groups/g1/offsets/kept", "{\"offset\": 2}").statusCode()).isEqualTo(204);
            assertThat(json(http.get("/consume?topic=kept&consumer_id=seed")).get("offset").asLong()).isZero();
            before = http.get("/v1/topics/kept/records?offset=0").body();
        }
        try (ConfigurableApplicationContext second = start(dataDir)) {
            TestHttp http = http(second);
            assertThat(http.get("/v1/topics/kept/records?offset=0").body()).isEqualTo(before);
            assertThat(json(http.get("/v1/groups/g1/offsets/kept")).get("offset").asLong()).isEqualTo(2);
            assertThat(http.get("/actuator/prometheus").body()).as("the lag of a stored group shows before it commits again")
                    .contains("minimq_group_lag{application=\"minimq-broker\",group=\"g1\",topic=\"kept\"} 1.0");
            assertThat(json(http.get("/consume?topic=kept&consumer_id=seed")).get("offset").asLong()).isEqualTo(1);

            HttpResponse<String> retry = http.send("POST", "/v1/topics/kept/records", producer, batch);
            assertThat(retry.statusCode()).as("a retry after the restart is recognised").isEqualTo(200);
            assertThat(json(retry).get("offsets").toString()).isEqualTo("[0,1]");
            assertThat(json(http.get("/v1/topics/kept")).get("endOffset").asLong()).isEqualTo(3);
        }
    }

    @Test
    void readinessIsDownWhileTheDataDirIsNotWritable() throws Exception {
        Path sandbox = TempDirs.create();
        Path dataDir = sandbox.resolve("data");
        try (ConfigurableApplicationContext broker = start(dataDir)) {
            TestHttp http = http(broker);
            assertThat(http.get("/actuator/health/readiness").statusCode()).isEqualTo(200);

            Path moved = sandbox.resolve("moved");
            Files.move(dataDir, moved);
            Files.writeString(dataDir, "not a directory");
            try {
                HttpResponse<String> readiness = http.get("/actuator/health/readiness");
                assertThat(readiness.statusCode()).isEqualTo(503);
                assertThat(readiness.body()).contains("DOWN").doesNotContain(sandbox.toString());
                assertThat(http.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
            } finally {
                Files.delete(dataDir);
                Files.move(moved, dataDir);
            }
            assertThat(http.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void logsOneStartLineAndWarnsWhenOpen(CapturedOutput output) {
        Path dataDir = TempDirs.create();
        try (ConfigurableApplicationContext broker = start(dataDir, "minimq.broker.flush=always")) {
            http(broker).post("/v1/topics/quiet/records", "{\"records\":[{\"value\":1}]}");
        }
        assertThat(output.getOut()).containsOnlyOnce("MiniMQ broker ready: storage=file data-dir=" + dataDir.toAbsolutePath().normalize())
                .contains("flush=always").contains("security=OPEN").contains("rate-limit=off")
                .contains("WARN").contains("No token configured");
        assertThat(output.getOut()).doesNotContain("quiet/records");
    }

    @Test
    void aGracefulStopAnswersWaitingLongPolls() throws Exception {
        Path dataDir = TempDirs.create();
        ConfigurableApplicationContext broker = start(dataDir);
        TestHttp http = http(broker);
        http.post("/v1/topics/waiting/records", "{\"records\":[{\"value\":1}]}");
        CompletableFuture<HttpResponse<String>> poll = HttpClient.newHttpClient().sendAsync(
                http.builder("/v1/topics/waiting/records?offset=1&maxWaitMs=30000").GET().build(), BodyHandlers.ofString());
        Thread.sleep(500);
        assertThat(poll).isNotDone();
        broker.close();
        HttpResponse<String> answer = poll.get(20, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(json(answer).get("records").size()).isZero();
        assertThat(json(answer).get("nextOffset").asLong()).isEqualTo(1);
    }

    private static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }
}
