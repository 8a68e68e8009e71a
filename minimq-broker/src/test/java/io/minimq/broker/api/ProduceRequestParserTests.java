package io.minimq.broker.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minimq.broker.BrokerProperties;
import io.minimq.broker.storage.NewRecord;
import io.minimq.broker.storage.ReadResult;
import io.minimq.broker.storage.StoredRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.http.HttpStatus;

/** The streaming parser cuts values out as raw bytes and the writer puts them back unchanged. */
class ProduceRequestParserTests {

    private static BrokerProperties properties() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", Map.of(
                "minimq.broker.max-record-bytes", "100", "minimq.broker.max-records-per-request", "3")));
        return Binder.get(environment).bindOrCreate("minimq.broker", BrokerProperties.class);
    }

    private final ProduceRequestParser parser = new ProduceRequestParser(properties());
    private final ResponseWriter writer = new ResponseWriter();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void valuesAreTheExactBytesOfTheBody() {
        List<NewRecord> records = parser.parseRecords(utf8(
                "{ \"ignored\": [1, {\"x\": 2}], \"records\" : [ {\"value\" :  {\"a\" : [1, 2.50, \"\\u00e9\"]}  , \"key\": \"k\"},"
                        + "{\"headers\": {\"h\": \"v\"}, \"value\": \"caf\u00e9\"}, {\"value\": null, \"key\": null, \"extra\": {}} ] }"));
        assertThat(records).hasSize(3);
        assertThat(new String(records.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("{\"a\" : [1, 2.50, \"\\u00e9\"]}");
        assertThat(records.get(0).key()).isEqualTo("k");
        assertThat(new String(records.get(1).value(), StandardCharsets.UTF_8)).isEqualTo("\"caf\u00e9\"");
        assertThat(records.get(1).headers()).containsEntry("h", "v");
        assertThat(new String(records.get(2).value(), StandardCharsets.UTF_8)).isEqualTo("null");
        assertThat(records.get(2).key()).isNull();
    }

    @Test
    void theWriterPutsStoredBytesBackRaw() {
        StoredRecord stored = new StoredRecord(7, 1_764_860_400_123L, "node-a", Map.of("unit", "%"), utf8("{\"cpu\" : 12.50}"));
        String json = new String(writer.fetched("metrics.cpu", new ReadResult(List.of(stored), 8, 0, 8)), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"topic\":\"metrics.cpu\",\"records\":[{\"offset\":7,\"timestamp\":1764860400123,"
                + "\"key\":\"node-a\",\"headers\":{\"unit\":\"%\"},\"value\":{\"cpu\" : 12.50}}],"
                + "\"nextOffset\":8,\"startOffset\":0,\"endOffset\":8}");
    }

    @Test
    void limitsAreEnforcedWhileParsing() {
        assertThatThrownBy(() -> parser.parseRecords(utf8("{\"records\":[{\"value\":1},{\"value\":2},{\"value\":3},{\"value\":4}]}")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE));
        assertThatThrownBy(() -> parser.parseRecords(utf8("{\"records\":[{\"value\":\"" + "x".repeat(99) + "\"}]}")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.title()).isEqualTo("Record too large"));
        assertThat(parser.parseRecords(utf8("{\"records\":[{\"value\":\"" + "x".repeat(98) + "\"}]}"))).hasSize(1);
    }

    @Test
    void overlongUtf8IsRefusedEvenWhereJacksonWouldAcceptIt() {
        byte[] body = utf8("{\"records\":[{\"value\":\"a_b\"}]}");
        body[body.length - 7] = (byte) 0xc0;
        body[body.length - 6] = (byte) 0xaf;
        assertThatThrownBy(() -> parser.parseRecords(body))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.title()).isEqualTo("Malformed JSON"));
    }

    @Test
    void stringsInsideValuesAreCheckedThoughNotDecoded() {
        // nested strings are skipped by the parser rather than decoded; the skip must refuse
        // everything a decode would, wherever in the value the string sits
        List<String> bad = List.of("\u0001", "\n", "\t", "\\q", "\\u12", "\\");
        for (String inside : bad) {
            for (String value : List.of("{\"a\":\"x%sy\"}", "[\"x%sy\"]", "{\"a\":[1,{\"b\":\"x%sy\"}]}", "{\"x%sy\":1}")) {
                String body = "{\"records\":[{\"value\":" + value.formatted(inside) + "}]}";
                assertThatThrownBy(() -> parser.parseRecords(utf8(body))).as(body)
                        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.title()).isEqualTo("Malformed JSON"));
            }
        }
        byte[] brokenUtf8 = utf8("{\"records\":[{\"value\":{\"a\":\"x__\"}}]}");
        brokenUtf8[brokenUtf8.length - 8] = (byte) 0xe2; // a 3-byte sequence cut short by '_'
        assertThatThrownBy(() -> parser.parseRecords(brokenUtf8))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.title()).isEqualTo("Malformed JSON"));
        // and the well-formed versions go through, stored byte for byte
        String good = "{\"a\":[1,{\"b\":\"x\\n\\u0041\u00e9\\\"y\"}]}";
        List<NewRecord> records = parser.parseRecords(utf8("{\"records\":[{\"value\":" + good + "}]}"));
        assertThat(new String(records.get(0).value(), StandardCharsets.UTF_8)).isEqualTo(good);
    }

    @Test
    void seedMessagesAreStoredAsJsonStrings() {
        ProduceRequestParser.SeedMessage message = parser.parseSeedMessage(utf8("{\"message\": \"hi \\\"there\\\"\", \"topic\": \"t\"}"));
        assertThat(message.topic()).isEqualTo("t");
        assertThat(new String(message.record().value(), StandardCharsets.UTF_8)).isEqualTo("\"hi \\\"there\\\"\"");
    }
}
