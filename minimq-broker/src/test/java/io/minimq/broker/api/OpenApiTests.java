package io.minimq.broker.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.minimq.broker.OpenBrokerTestBase;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The OpenAPI description lists every endpoint of HTTP-API.md; Swagger UI is served. */
class OpenApiTests extends OpenBrokerTestBase {

    @Test
    void apiDocsListTheSpecPaths() {
        HttpResponse<String> docs = http().get("/v3/api-docs");
        assertThat(docs.statusCode()).isEqualTo(200);
        JsonNode paths = json(docs).get("paths");
        assertThat(paths.propertyNames()).contains("/v1/topics", "/v1/topics/{topic}", "/v1/topics/{topic}/records",
                "/v1/groups/{group}/offsets", "/v1/groups/{group}/offsets/{topic}", "/produce", "/consume", "/nodes");
        JsonNode records = paths.get("/v1/topics/{topic}/records");
        assertThat(records.has("post")).isTrue();
        assertThat(records.has("get")).isTrue();
        assertThat(records.get("post").get("responses").propertyNames()).contains("201", "200", "409", "413");
        assertThat(records.get("post").get("parameters").toString())
                .contains("\"name\":\"MiniMQ-Producer-Id\",\"in\":\"header\"", "\"name\":\"MiniMQ-Producer-Seq\",\"in\":\"header\"");
        assertThat(records.get("get").get("parameters").toString()).contains("offset", "fromTime", "limit", "maxWaitMs");
        assertThat(paths.get("/v1/topics/{topic}").propertyNames()).contains("get", "put", "delete");
        assertThat(json(docs).get("components").get("schemas").propertyNames()).contains("ProduceRequest", "FetchResponse");
    }

    @Test
    void swaggerUiIsServed() {
        HttpResponse<String> ui = http().get("/swagger-ui/index.html");
        assertThat(ui.statusCode()).isEqualTo(200);
        assertThat(ui.body()).contains("Swagger UI");
    }
}
