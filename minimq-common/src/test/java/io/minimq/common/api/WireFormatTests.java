package io.minimq.common.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Pins the JSON shapes of HTTP-API.md: each test compares against the literal JSON of the spec,
 * so renaming a field or a record component fails here.
 */
class WireFormatTests {

    private final ObjectMapper json = JsonMapper.builder().build();

    private JsonNode tree(String text) {
        return json.readTree(text);
    }

    private <T> T roundTrip(String text, Class<T> type) {
        T value = json.readValue(text, type);
        assertThat(json.readTree(json.writeValueAsString(value))).isEqualTo(tree(text));
        return value;
    }

    @Test
    void produceRequest() {
        ProduceRequest request = roundTrip(
                "{\"records\":[{\"key\":\"node-a\",\"value\":{\"cpu\":12.5},\"headers\":{\"unit\":\"percent\"}}]}",
                ProduceRequest.class);
        ProduceRecord first = request.records().get(0);
        assertThat(first.key()).isEqualTo("node-a");
        assertThat(first.value().get("cpu").asDouble()).isEqualTo(12.5);
        assertThat(first.headers()).containsEntry("unit", "percent");
    }

    @Test
    void produceRecordValueMayBeAnyJson() {
        for (String value : List.of("[1,2]", "\"text\"", "42", "true", "null", "{\"a\":{\"b\":[null]}}")) {
            ProduceRequest request = json.readValue("{\"records\":[{\"value\":" + value + "}]}", ProduceRequest.class);
            assertThat(request.records().get(0).value()).as(value).isEqualTo(tree(value));
        }
    }

    @Test
    void produceResponse() {
        ProduceResponse response = roundTrip("{\"topic\":\"t\",\"offsets\":[41,42]}", ProduceResponse.class);
        assertThat(response.offsets()).containsExactly(41L, 42L);
    }

    @Test
    void brokerRecordAndFetchResponse() {
        String record = "{\"offset\":41,\"timestamp\":1764860400123,\"key\":\"node-a\",\"headers\":{},"
                + "\"value\":{\"any\":\"json\"}}";
        BrokerRecord r = roundTrip(record, BrokerRecord.class);
        assertThat(r.offset()).isEqualTo(41);
        assertThat(r.timestamp()).isEqualTo(1764860400123L);
        FetchResponse fetch = roundTrip("{\"topic\":\"t\",\"records\":[" + record
                + "],\"nextOffset\":43,\"startOffset\":0,\"endOffset\":43}", FetchResponse.class);
        assertThat(fetch.nextOffset()).isEqualTo(43);
        assertThat(fetch.records()).containsExactly(r);
    }

    @Test
    void brokerRecordWithoutKeyStillHasTheField() {
        BrokerRecord r = new BrokerRecord(0, 1, null, null, tree("1"));
        assertThat(tree(json.writeValueAsString(r)))
                .isEqualTo(tree("{\"offset\":0,\"timestamp\":1,\"key\":null,\"headers\":{},\"value\":1}"));
    }

    @Test
    void topics() {
        roundTrip("{\"name\":\"t\",\"startOffset\":0,\"endOffset\":5,\"sizeBytes\":300,\"segments\":1}",
                TopicInfo.class);
        TopicInfo withConfig = roundTrip("{\"name\":\"t\",\"startOffset\":0,\"endOffset\":5,\"sizeBytes\":300,"
                + "\"segments\":1,\"config\":{\"retentionMs\":1000,\"retentionBytes\":-1,\"segmentBytes\":4096}}",
                TopicInfo.class);
        assertThat(withConfig.config()).isEqualTo(new TopicConfig(1000L, -1L, 4096L));
        assertThat(withConfig.withoutConfig().config()).isNull();
        TopicConfig partial = roundTrip("{\"retentionMs\":5}", TopicConfig.class);
        assertThat(partial.retentionBytes()).isNull();
    }

    @Test
    void groups() {
        assertThat(roundTrip("{\"offset\":7}", OffsetCommit.class).offset()).isEqualTo(7);
        roundTrip("{\"group\":\"g\",\"offsets\":{\"topic\":7}}", GroupOffsets.class);
        roundTrip("{\"group\":\"g\",\"topic\":\"t\",\"offset\":7}", GroupOffset.class);
    }

    @Test
    void seedApi() {
        roundTrip("{\"topic\":\"t\",\"message\":\"text\"}", SeedProduceRequest.class);
        roundTrip("{\"message\":\"text\",\"offset\":3}", SeedConsumeResponse.class);
    }

    @Test
    void problemWithExtensions() {
        Problem p = new Problem(null, "Offset out of range", 416, "offset 9 is past the end")
                .put("startOffset", 0).put("endOffset", 5);
        assertThat(tree(json.writeValueAsString(p))).isEqualTo(tree("{\"type\":\"about:blank\","
                + "\"title\":\"Offset out of range\",\"status\":416,\"detail\":\"offset 9 is past the end\","
                + "\"startOffset\":0,\"endOffset\":5}"));
        Problem back = json.readValue(json.writeValueAsString(p), Problem.class);
        assertThat(back.getStatus()).isEqualTo(416);
        assertThat(back.getTitle()).isEqualTo("Offset out of range");
        assertThat(((Number) back.extension("endOffset")).longValue()).isEqualTo(5);
        assertThat(Map.of("t", Problem.MEDIA_TYPE)).containsValue("application/problem+json");
    }

    @Test
    void headerNames() {
        assertThat(ApiHeaders.PRODUCER_ID).isEqualTo("MiniMQ-Producer-Id");
        assertThat(ApiHeaders.PRODUCER_SEQ).isEqualTo("MiniMQ-Producer-Seq");
    }
}
