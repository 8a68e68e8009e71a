package io.minimq.broker.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.minimq.broker.OpenBrokerTestBase;
import io.minimq.broker.TestHttp.RawResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A corpus of hostile requests, sent as raw bytes on a socket: path traversal in every spelling,
 * huge and deeply nested JSON, wrong types, out-of-range numbers, bad UTF-8, NUL bytes, missing
 * and wrong content types. Each must get a 4xx problem+json answer that leaks nothing, and
 * nothing may be written outside the data directory.
 */
class HostileRequestsTests extends OpenBrokerTestBase {

    /** Name the traversal attempts try to create; it must never appear anywhere. */
    static final String MARKER = "escape-" + UUID.randomUUID().toString().substring(0, 8);
    static final String JSON_TYPE = "Content-Type: application/json";

    record Hostile(String name, String head, byte[] body) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Hostile> corpus() {
        List<Hostile> c = new ArrayList<>();
        String ok = "{\"records\":[{\"value\":1}]}";
        // ---- path traversal, every spelling ----
        for (String topic : List.of("..", "%2e%2e", "%2E%2E", ".%2e", "%2e.", "..%2f..%2f" + MARKER, "%2e%2e%2f%2e%2e%2f" + MARKER,
                "%252e%252e%252f" + MARKER, "..%5c..%5c" + MARKER, "..%255c" + MARKER, "%c0%ae%c0%ae", "%ef%bc%8e%ef%bc%8e",
                "..%00", "a%00b", "%00", "%2f" + MARKER, "%5c" + MARKER, "..;", "__consumer_offsets", "%20", "a%0ab")) {
            c.add(new Hostile("produce to " + topic, "POST /v1/topics/" + topic + "/records HTTP/1.1\r\n" + JSON_TYPE, bytes(ok)));
            c.add(new Hostile("fetch " + topic, "GET /v1/topics/" + topic + "/records HTTP/1.1", null));
        }
        c.add(new Hostile("raw dot-dot segments", "GET /v1/topics/../../../" + MARKER + "/records HTTP/1.1", null));
        c.add(new Hostile("raw backslashes", "GET /v1/topics/..\\..\\" + MARKER + "/records HTTP/1.1", null));
        c.add(new Hostile("double slash traversal", "POST //v1/topics/..%2f" + MARKER + "/records HTTP/1.1\r\n" + JSON_TYPE, bytes(ok)));
        c.add(new Hostile("put traversal", "PUT /v1/topics/%2e%2e HTTP/1.1", null));
        c.add(new Hostile("put encoded slash", "PUT /v1/topics/..%2f" + MARKER + " HTTP/1.1", null));
        c.add(new Hostile("delete traversal", "DELETE /v1/topics/%2e%2e HTTP/1.1", null));
        c.add(new Hostile("delete data dir parent", "DELETE /v1/topics/..%2f..%2f HTTP/1.1", null));
        c.add(new Hostile("group traversal", "PUT /v1/groups/..%2f" + MARKER + "/offsets/t HTTP/1.1\r\n" + JSON_TYPE, bytes("{\"offset\":0}")));
        c.add(new Hostile("group dot-dot", "GET /v1/groups/%2e%2e/offsets HTTP/1.1", null));
        c.add(new Hostile("seed topic traversal", "POST /produce HTTP/1.1\r\n" + JSON_TYPE,
                bytes("{\"topic\":\"../../" + MARKER + "\",\"message\":\"m\"}")));
        c.add(new Hostile("seed topic absolute", "POST /produce HTTP/1.1\r\n" + JSON_TYPE, bytes("{\"topic\":\"/etc/" + MARKER + "\",\"message\":\"m\"}")));
        c.add(new Hostile("seed topic backslash", "POST /produce HTTP/1.1\r\n" + JSON_TYPE, bytes("{\"topic\":\"..\\\\" + MARKER + "\",\"message\":\"m\"}")));
        c.add(new Hostile("seed topic NUL escape", "POST /produce HTTP/1.1\r\n" + JSON_TYPE, bytes("{\"topic\":\"a\\u0000b\",\"message\":\"m\"}")));
        c.add(new Hostile("consume dot-dot", "GET /consume?topic=..&consumer_id=c HTTP/1.1", null));
        c.add(new Hostile("consume group traversal", "GET /consume?topic=t&consumer_id=..%2f" + MARKER + " HTTP/1.1", null));
        // ---- huge and deeply nested JSON ----
        c.add(new Hostile("declared 100 MB body", "POST /v1/topics/t/records HTTP/1.1\r\n" + JSON_TYPE + "\r\nContent-Length: 100000000", bytes(ok)));
        c.add(new Hostile("deep arrays", "POST /v1/topics/deep/records HTTP/1.1\r\n" + JSON_TYPE,
                bytes("{\"records\":[{\"value\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}]}")));
        c.add(new Hostile("deep objects", "POST /v1/topics/deep/records HTTP/1.1\r\n" + JSON_TYPE,
                bytes("{\"records\":[{\"value\":" + "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000) + "}]}")));
        c.add(new Hostile("deep unclosed", "POST /v1/topics/deep/records HTTP/1.1\r\n" + JSON_TYPE, bytes("[".repeat(200_000))));
        c.add(new Hostile("huge number literal", "POST /v1/topics/deep/records HTTP/1.1\r\n" + JSON_TYPE,
                bytes("{\"records\":[{\"value\":" + "9".repeat(5000) + "}]}")));
        // ---- wrong types ----
        for (String body : List.of("{\"records\":\"x\"}", "{\"records\":[{\"value\":1,\"key\":[]}]}", "{\"records\":[{\"value\":1,\"headers\":\"h\"}]}",
                "{\"records\":[[1]]}", "{\"records\":null}", "NaN", "{\"records\":[{\"value\":NaN}]}", "{\"records\":[{\"value\":Infinity}]}",
                "{\"records\":[{\"value\":'single'}]}", "{\"records\":[{\"value\":undefined}]}")) {
            c.add(new Hostile("wrong type " + body, "POST /v1/topics/types/records HTTP/1.1\r\n" + JSON_TYPE, bytes(body)));
        }
        c.add(new Hostile("seed message object", "POST /produce HTTP/1.1\r\n" + JSON_TYPE, bytes("{\"topic\":\"t\",\"message\":{}}")));
        c.add(new Hostile("commit string offset", "PUT /v1/groups/g/offsets/types HTTP/1.1\r\n" + JSON_TYPE, bytes("{\"offset\":\"0\"}")));
        // ---- negative and huge numbers ----
        for (String query : List.of("offset=-1", "offset=99999999999999999999", "offset=1e3", "offset=0x10", "limit=-5",
                "limit=99999999999999999999", "maxWaitMs=-1", "maxWaitMs=9e9", "maxWaitMs=2147483648000", "fromTime=-1", "limit=%00")) {
            c.add(new Hostile("fetch " + query, "GET /v1/topics/numbers/records?" + query + " HTTP/1.1", null));
        }
        for (String seq : List.of("-1", "99999999999999999999999", "abc", "1.5")) {
            c.add(new Hostile("producer seq " + seq, "POST /v1/topics/numbers/records HTTP/1.1\r\n" + JSON_TYPE
                    + "\r\nMiniMQ-Producer-Id: p\r\nMiniMQ-Producer-Seq: " + seq, bytes(ok)));
        }
        c.add(new Hostile("commit negative", "PUT /v1/groups/g/offsets/numbers HTTP/1.1\r\n" + JSON_TYPE, bytes("{\"offset\":-1}")));
        c.add(new Hostile("commit huge", "PUT /v1/groups/g/offsets/numbers HTTP/1.1\r\n" + JSON_TYPE, bytes("{\"offset\":1e400}")));
        c.add(new Hostile("retention negative", "PUT /v1/topics/numbers HTTP/1.1\r\n" + JSON_TYPE, bytes("{\"retentionMs\":-7}")));
        // ---- bad UTF-8 and NUL bytes ----
        c.add(new Hostile("bad UTF-8 in value", "POST /v1/topics/utf/records HTTP/1.1\r\n" + JSON_TYPE,
                concat("{\"records\":[{\"value\":\"", new byte[] {(byte) 0xff, (byte) 0xfe}, "\"}]}")));
        c.add(new Hostile("truncated UTF-8 in value", "POST /v1/topics/utf/records HTTP/1.1\r\n" + JSON_TYPE,
                concat("{\"records\":[{\"value\":{\"a\":\"", new byte[] {(byte) 0xe2, (byte) 0x82}, "\"}}]}")));
        c.add(new Hostile("bad UTF-8 in nested name", "POST /v1/topics/utf/records HTTP/1.1\r\n" + JSON_TYPE,
                concat("{\"records\":[{\"value\":{\"", new byte[] {(byte) 0xc3, (byte) 0x28}, "\":1}}]}")));
        c.add(new Hostile("bad UTF-8 in key", "POST /v1/topics/utf/records HTTP/1.1\r\n" + JSON_TYPE,
                concat("{\"records\":[{\"value\":1,\"key\":\"", new byte[] {(byte) 0x80}, "\"}]}")));
        c.add(new Hostile("overlong UTF-8 slash in value", "POST /v1/topics/utf/records HTTP/1.1\r\n" + JSON_TYPE,
                concat("{\"records\":[{\"value\":\"", new byte[] {(byte) 0xc0, (byte) 0xaf}, "\"}]}")));
        c.add(new Hostile("raw NUL in string", "POST /v1/topics/nul/records HTTP/1.1\r\n" + JSON_TYPE,
                concat("{\"records\":[{\"value\":\"a", new byte[] {0}, "b\"}]}")));
        c.add(new Hostile("NUL before JSON", "POST /v1/topics/nul/records HTTP/1.1\r\n" + JSON_TYPE, concat("", new byte[] {0}, ok)));
        c.add(new Hostile("only NULs", "POST /v1/topics/nul/records HTTP/1.1\r\n" + JSON_TYPE, new byte[64]));
        c.add(new Hostile("NUL in seed message", "POST /produce HTTP/1.1\r\n" + JSON_TYPE,
                concat("{\"topic\":\"nul\",\"message\":\"", new byte[] {0}, "\"}")));
        // ---- missing and wrong content types ----
        c.add(new Hostile("no content type", "POST /v1/topics/ct/records HTTP/1.1", bytes(ok)));
        c.add(new Hostile("text/plain", "POST /v1/topics/ct/records HTTP/1.1\r\nContent-Type: text/plain", bytes(ok)));
        c.add(new Hostile("form", "POST /v1/topics/ct/records HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded", bytes("records=1")));
        c.add(new Hostile("xml", "POST /v1/topics/ct/records HTTP/1.1\r\nContent-Type: application/xml", bytes("<records/>")));
        c.add(new Hostile("garbage content type", "POST /v1/topics/ct/records HTTP/1.1\r\nContent-Type: ;;;===", bytes(ok)));
        c.add(new Hostile("seed without content type", "POST /produce HTTP/1.1", bytes("{\"topic\":\"ct\",\"message\":\"m\"}")));
        c.add(new Hostile("commit without content type", "PUT /v1/groups/g/offsets/ct HTTP/1.1", bytes("{\"offset\":0}")));
        c.add(new Hostile("json content type, form body", "POST /v1/topics/ct/records HTTP/1.1\r\n" + JSON_TYPE, bytes("records=1&value=2")));
        c.add(new Hostile("empty json body", "POST /v1/topics/ct/records HTTP/1.1\r\n" + JSON_TYPE, new byte[0]));
        // ---- odd methods and paths ----
        c.add(new Hostile("TRACE", "TRACE /v1/topics HTTP/1.1", null));
        c.add(new Hostile("PATCH", "PATCH /v1/topics/t HTTP/1.1\r\n" + JSON_TYPE, bytes("{}")));
        c.add(new Hostile("bad percent escape", "GET /v1/topics/%zz/records HTTP/1.1", null));
        c.add(new Hostile("unknown path", "GET /etc/passwd HTTP/1.1", null));
        c.add(new Hostile("actuator traversal", "GET /actuator/../../" + MARKER + " HTTP/1.1", null));
        c.add(new Hostile("error page directly", "GET /error HTTP/1.1", null));
        return c.stream();
    }

    @BeforeAll
    static void sandboxHoldsOnlyTheDataDir() throws IOException {
        assertThat(entries(SANDBOX)).containsOnly("data");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void isRefusedWithA4xxProblem(Hostile request) {
        RawResponse response = http().raw(request.head() + contentLength(request), request.body());
        assertThat(response.status()).as(request.name() + " -> " + response.body()).isBetween(400, 499);
        assertThat(response.header("Content-Type")).as(request.name()).startsWith("application/problem+json");
        assertThat(response.body()).as(request.name()).contains("\"status\":" + response.status())
                .doesNotContain("Exception").doesNotContain("Tomcat").doesNotContain("\tat ").doesNotContain("/tmp")
                .doesNotContain(SANDBOX.toString()).doesNotContain("<html");
    }

    @AfterAll
    static void nothingWasWrittenOutsideTheDataDir() throws IOException {
        assertThat(entries(SANDBOX)).containsOnly("data");
        assertThat(entries(SANDBOX.getParent())).noneMatch(name -> name.contains(MARKER));
        try (Stream<Path> all = Files.walk(DATA_DIR)) {
            assertThat(all.map(Path::toString)).noneMatch(name -> name.contains(MARKER) || name.contains(".."));
        }
        assertThat(Path.of("/", MARKER)).doesNotExist();
    }

    private static List<String> entries(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(path -> path.getFileName().toString()).toList();
        }
    }

    private static String contentLength(Hostile request) {
        if (request.head().contains("Content-Length")) {
            return "";
        }
        return request.body() == null ? "" : "\r\nContent-Length: " + request.body().length;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(String before, byte[] middle, String after) {
        byte[] a = bytes(before);
        byte[] c = bytes(after);
        byte[] out = new byte[a.length + middle.length + c.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(middle, 0, out, a.length, middle.length);
        System.arraycopy(c, 0, out, a.length + middle.length, c.length);
        return out;
    }

    static {
        try {
            Files.createDirectories(DATA_DIR);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
