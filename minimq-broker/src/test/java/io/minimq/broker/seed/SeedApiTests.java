package io.minimq.broker.seed;

import static org.assertj.core.api.Assertions.assertThat;

import io.minimq.broker.OpenBrokerTestBase;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The prototype's API, called the way the prototype's producer and dashboard call it. */
class SeedApiTests extends OpenBrokerTestBase {

    @Test
    void prototypeProducerAndConsumerWorkUnchanged() {
        String topic = freshTopic();
        HttpResponse<String> produced = http().post("/produce", "{\"topic\": \"" + topic + "\", \"message\": \"hello \\u00e9\"}");
        assertThat(produced.statusCode()).isEqualTo(201);
        http().post("/produce", "{\"topic\": \"" + topic + "\", \"message\": \"second\"}");

        HttpResponse<String> first = http().get("/consume?topic=" + topic + "&consumer_id=dash");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(json(first).get("message").asString()).isEqualTo("hello \u00e9");
        assertThat(json(first).get("offset").asLong()).isZero();
        JsonNode second = json(http().get("/consume?topic=" + topic + "&consumer_id=dash"));
        assertThat(second.get("message").asString()).isEqualTo("second");
        assertThat(second.get("offset").asLong()).isEqualTo(1);
        assertThat(http().get("/consume?topic=" + topic + "&consumer_id=dash").statusCode()).isEqualTo(204);

        // another consumer starts from the beginning; the committed offset is the v1 group offset
        assertThat(json(http().get("/consume?topic=" + topic + "&consumer_id=other")).get("offset").asLong()).isZero();
        assertThat(json(http().get("/v1/groups/dash/offsets/" + topic)).get("offset").asLong()).isEqualTo(2);

        // the v1 API sees the message as a JSON string value
        assertThat(json(http().get("/v1/topics/" + topic + "/records")).get("records").get(0).get("value").asString())
                .isEqualTo("hello \u00e9");
    }

    @Test
    void consumeGivesNonStringValuesAsJsonText() {
        String topic = freshTopic();
        http().post("/v1/topics/" + topic + "/records", "{\"records\":[{\"value\":{\"cpu\":12.5}}]}");
        assertThat(json(http().get("/consume?topic=" + topic + "&consumer_id=c")).get("message").asString())
                .isEqualTo("{\"cpu\":12.5}");
    }

    @Test
    void refusesWhatThePrototypeRefused() {
        assertProblem(http().get("/consume?topic=x"), 400, null);
        assertProblem(http().get("/consume?consumer_id=c"), 400, null);
        assertProblem(http().get("/consume?topic=" + freshTopic() + "&consumer_id=c"), 404, "Topic not found");
        assertProblem(http().get("/consume?topic=../etc&consumer_id=c"), 400, "Invalid topic name");
        assertProblem(http().post("/produce", "{\"topic\": \"t\"}"), 400, null);
        assertProblem(http().post("/produce", "{\"message\": \"m\"}"), 400, null);
        assertProblem(http().post("/produce", "{\"topic\": \"t\", \"message\": 5}"), 400, null);
        assertProblem(http().post("/produce", "{\"topic\": \"a/b\", \"message\": \"m\"}"), 400, "Invalid topic name");
        assertProblem(http().post("/produce", "not json"), 400, null);
        assertProblem(http().send("POST", "/produce", java.util.Map.of("Content-Type", "text/plain"),
                "{\"topic\": \"t\", \"message\": \"m\"}".getBytes()), 415, null);
    }

    @Test
    void nodesListsDistinctNamesInFirstSeenOrder() {
        http().post("/v1/topics/nodes/records", "{\"records\":[{\"key\":\"node-b\",\"value\":{\"node\":\"node-b\"}},"
                + "{\"key\":\"node-a\",\"value\":{\"node\":\"node-a\"}},{\"key\":\"node-b\",\"value\":{}}]}");
        http().post("/produce", "{\"topic\": \"nodes\", \"message\": \"node-c\"}");
        http().post("/produce", "{\"topic\": \"nodes\", \"message\": \"node-a\"}");
        HttpResponse<String> nodes = http().get("/nodes");
        assertThat(nodes.statusCode()).isEqualTo(200);
        List<String> names = JSON.readValue(nodes.body(), JSON.getTypeFactory().constructCollectionType(List.class, String.class));
        assertThat(names).containsSubsequence("node-b", "node-a", "node-c").doesNotHaveDuplicates();
    }
}
