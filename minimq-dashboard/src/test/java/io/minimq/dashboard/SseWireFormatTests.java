package io.minimq.dashboard;

import static io.minimq.dashboard.TestBroker.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The exact bytes of a stream. The dashboard renders each record's event once, writes only the
 * {@code id:} line per subscriber, and writes whatever is queued for a connection together with
 * one flush: a batch of records appended at once must still come out as exactly one well-formed
 * event per record, in order, and nothing else (but heartbeats). With the tests' small
 * {@code subscriber-buffer} the batch overflows the live buffer, so the stream also goes through
 * catching up from the broker (lag=catch-up) and back onto the live feed on the way.
 */
class SseWireFormatTests extends WithBroker {

    private static final Pattern RECORD = Pattern.compile("id:([^\n]*)\nevent:record\ndata:(\\{[^\n]*})");
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aBatchAppendedAtOnceComesOutAsExactlyOneEventPerRecord() throws Exception {
        String topic = uniqueTopic("wire");
        TestBroker.produce(topic, List.of(record("k", Map.of("i", 0)))); // offset 0, before the stream
        int batch = 300;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(60_000);
            socket.getOutputStream().write(("GET /api/stream?topics=" + topic + "&offset=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = new BufferedInputStream(socket.getInputStream());
            assertThat(SseClient.line(in)).isEqualTo("HTTP/1.1 200 OK");
            List<String> headers = new ArrayList<>();
            for (String header = SseClient.line(in); !header.isEmpty(); header = SseClient.line(in)) {
                headers.add(header.toLowerCase(java.util.Locale.ROOT));
            }
            assertThat(headers).contains("transfer-encoding: chunked").anyMatch(h -> h.startsWith("content-type: text/event-stream"));
            // on the live feed (not reading the broker page by page) before the batch comes
            await().atMost(Duration.ofSeconds(30)).until(() -> metrics().contains("topic=\"" + topic + "\"} 1.0"));

            List<Long> offsets = new ArrayList<>();
            List<Map.Entry<String, Object>> records = new ArrayList<>();
            for (int i = 1; i <= batch; i++) {
                records.add(record("k-" + i, Map.of("i", i, "text", "line\nbreak " + i)));
            }
            offsets.addAll(TestBroker.produce(topic, records));
            assertThat(offsets).hasSize(batch).first().isEqualTo(1L);

            String body = readEvents(in, "id:" + topic + ":" + batch + "\n");

            assertThat(body).endsWith("\n\n");
            List<String> events = new ArrayList<>(List.of(body.substring(0, body.length() - 2).split("\n\n", -1)));
            assertThat(events.remove(0)).isEqualTo(":minimq stream of " + topic + "\nretry:1000");
            events.removeIf(event -> event.equals(":heartbeat"));
            assertThat(events).hasSize(batch);
            for (int i = 1; i <= batch; i++) {
                Matcher event = RECORD.matcher(events.get(i - 1));
                assertThat(event.matches()).as("event %d is one id, event and data line: %s", i, events.get(i - 1)).isTrue();
                assertThat(event.group(1)).isEqualTo(topic + ":" + i);
                JsonNode data = TestBroker.json(event.group(2));
                assertThat(data.path("topic").asString()).isEqualTo(topic);
                assertThat(data.path("offset").asLong()).isEqualTo(i);
                assertThat(data.path("key").asString()).isEqualTo("k-" + i);
                assertThat(data.path("value").path("i").asInt()).isEqualTo(i);
                assertThat(data.path("value").path("text").asString()).isEqualTo("line\nbreak " + i);
            }
        }
    }

    /** The de-chunked body from here until it holds {@code last} and ends an event. */
    private static String readEvents(InputStream in, String last) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = SseClient.line(in);
            int length = Integer.parseInt(size.strip(), 16);
            assertThat(length).as("the stream does not end").isPositive();
            body.write(in.readNBytes(length));
            assertThat(SseClient.line(in)).isEmpty();
            String text = body.toString(StandardCharsets.UTF_8);
            int at = text.indexOf(last);
            if (at >= 0 && text.indexOf("\n\n", at) == text.length() - 2) {
                return text;
            }
        }
    }

    private String metrics() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(dashboard("/actuator/prometheus"))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
