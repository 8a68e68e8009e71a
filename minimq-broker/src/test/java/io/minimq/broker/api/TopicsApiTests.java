package io.minimq.broker.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.minimq.broker.OpenBrokerTestBase;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code /v1/topics}: list, stats, create, configure, delete. */
class TopicsApiTests extends OpenBrokerTestBase {

    @Test
    void createsConfiguresListsAndDeletesATopic() {
        String topic = freshTopic();
        HttpResponse<String> created = http().put("/v1/topics/" + topic, "{\"retentionMs\": 3600000, \"segmentBytes\": 1048576}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(json(created).get("config").get("retentionMs").asLong()).isEqualTo(3_600_000);
        assertThat(json(created).get("config").get("segmentBytes").asLong()).isEqualTo(1_048_576);

        HttpResponse<String> updated = http().put("/v1/topics/" + topic, "{\"retentionBytes\": 5000000}");
        assertThat(updated.statusCode()).isEqualTo(200);
        JsonNode config = json(updated).get("config");
        assertThat(config.get("retentionBytes").asLong()).isEqualTo(5_000_000);
        assertThat(config.get("retentionMs").asLong()).as("kept").isEqualTo(3_600_000);

        http().post("/v1/topics/" + topic + "/records", "{\"records\":[{\"value\":1},{\"value\":2}]}");
        JsonNode info = json(http().get("/v1/topics/" + topic));
        assertThat(info.get("name").asString()).isEqualTo(topic);
        assertThat(info.get("startOffset").asLong()).isZero();
        assertThat(info.get("endOffset").asLong()).isEqualTo(2);
        assertThat(info.get("sizeBytes").asLong()).isPositive();
        if (fileLog()) {
            assertThat(info.get("segments").asInt()).isPositive();
        } else {
            assertThat(info.get("segments").asInt()).as("unknown on Kafka").isEqualTo(-1);
        }
        assertThat(info.get("config").get("retentionBytes").asLong()).isEqualTo(5_000_000);

        JsonNode list = json(http().get("/v1/topics"));
        JsonNode listed = null;
        for (JsonNode entry : list) {
            if (entry.get("name").asString().equals(topic)) {
                listed = entry;
            }
        }
        assertThat(listed).isNotNull();
        assertThat(listed.get("endOffset").asLong()).isEqualTo(2);
        assertThat(listed.has("config")).isFalse();

        assertThat(http().delete("/v1/topics/" + topic).statusCode()).isEqualTo(204);
        assertProblem(http().get("/v1/topics/" + topic), 404, "Topic not found");
        assertProblem(http().delete("/v1/topics/" + topic), 404, "Topic not found");
    }

    @Test
    void putWithoutABodyCreatesWithDefaults() {
        String topic = freshTopic();
        HttpResponse<String> created = http().send("PUT", "/v1/topics/" + topic, Map.of(), null);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(json(created).get("endOffset").asLong()).isZero();
        assertThat(json(created).get("config").get("segmentBytes").asLong()).isPositive();
        assertThat(http().send("PUT", "/v1/topics/" + topic, Map.of(), null).statusCode()).isEqualTo(200);
    }

    @Test
    void refusesBadSettings() {
        String topic = freshTopic();
        for (String body : java.util.List.of("{\"retentionMs\": 0}", "{\"retentionMs\": -5}", "{\"retentionBytes\": \"big\"}",
                "{\"segmentBytes\": 10}", "{\"segmentBytes\": 99999999999999}", "{\"unknown\": 1}", "[1]",
                "{\"retentionMs\": 1.5}", "{\"retentionMs\": \"100\"}", "{\"retentionMs\": 99999999999999999999999}", "{bad")) {
            assertProblem(http().put("/v1/topics/" + topic, body), 400, null);
        }
        assertProblem(http().send("PUT", "/v1/topics/" + topic, Map.of("Content-Type", "text/plain"), "{}".getBytes()), 415, null);
        assertProblem(http().get("/v1/topics/" + topic), 404, null);
        assertProblem(http().put("/v1/topics/__internal", "{}"), 400, "Invalid topic name");
        assertProblem(http().delete("/v1/topics/__internal"), 400, "Invalid topic name");
        assertProblem(http().get("/v1/topics/bad%20name"), 400, "Invalid topic name");
    }
}
