package io.minimq.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.minimq.broker.OpenBrokerTestBase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code /v1/groups/{group}/offsets}: commit and read committed offsets. */
class GroupsApiTests extends OpenBrokerTestBase {

    @Test
    void commitsAndReadsOffsets() {
        String topic = freshTopic();
        String other = freshTopic();
        String group = "g-" + topic;
        http().post("/v1/topics/" + topic + "/records", "{\"records\":[{\"value\":1},{\"value\":2},{\"value\":3}]}");
        http().post("/v1/topics/" + other + "/records", "{\"records\":[{\"value\":1}]}");

        assertProblem(http().get("/v1/groups/" + group + "/offsets/" + topic), 404, "Offset not found");
        assertThat(json(http().get("/v1/groups/" + group + "/offsets")).get("offsets").size()).isZero();

        assertThat(http().put("/v1/groups/" + group + "/offsets/" + topic, "{\"offset\": 2}").statusCode()).isEqualTo(204);
        assertThat(http().put("/v1/groups/" + group + "/offsets/" + other, "{\"offset\": 1}").statusCode()).isEqualTo(204);

        JsonNode one = json(http().get("/v1/groups/" + group + "/offsets/" + topic));
        assertThat(one.get("group").asString()).isEqualTo(group);
        assertThat(one.get("topic").asString()).isEqualTo(topic);
        assertThat(one.get("offset").asLong()).isEqualTo(2);
        JsonNode all = json(http().get("/v1/groups/" + group + "/offsets"));
        assertThat(all.get("group").asString()).isEqualTo(group);
        assertThat(all.get("offsets").get(topic).asLong()).isEqualTo(2);
        assertThat(all.get("offsets").get(other).asLong()).isEqualTo(1);

        assertThat(http().put("/v1/groups/" + group + "/offsets/" + topic, "{\"offset\": 3}").statusCode()).isEqualTo(204);
        assertThat(json(http().get("/v1/groups/" + group + "/offsets/" + topic)).get("offset").asLong()).isEqualTo(3);
    }

    @Test
    void refusesBadCommits() {
        String topic = freshTopic();
        http().post("/v1/topics/" + topic + "/records", "{\"records\":[{\"value\":1}]}");
        for (String body : List.of("{}", "{\"offset\": -1}", "{\"offset\": \"1\"}", "{\"offset\": 1.5}", "{\"offset\": null}",
                "[]", "{\"offset\": 1, \"extra\": 2}", "{\"offset\": 123456789012345678901234567890}", "nope", "")) {
            assertProblem(http().put("/v1/groups/g/offsets/" + topic, body), 400, null);
        }
        assertProblem(http().put("/v1/groups/g/offsets/" + topic, "{\"offset\": 2}"), 416, "Offset out of range");
        assertProblem(http().put("/v1/groups/g/offsets/" + freshTopic(), "{\"offset\": 0}"), 404, "Topic not found");
        assertProblem(http().put("/v1/groups/__g/offsets/" + topic, "{\"offset\": 0}"), 400, "Invalid group name");
        assertProblem(http().get("/v1/groups/bad!group/offsets"), 400, "Invalid group name");
        assertProblem(http().send("PUT", "/v1/groups/g/offsets/" + topic, Map.of("Content-Type", "text/plain"),
                "{\"offset\": 0}".getBytes()), 415, null);
    }
}
