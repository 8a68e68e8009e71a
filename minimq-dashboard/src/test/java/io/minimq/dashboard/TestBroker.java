package io.minimq.dashboard;

import io.minimq.testkit.AppProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real MiniMQ broker (its fat jar as a child JVM) shared by the dashboard's tests: started
 * once per test JVM on a fresh data directory, stopped when the JVM exits. Tests use topics of
 * their own so they do not see each other's records.
 */
public final class TestBroker {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static AppProcess broker;

    private TestBroker() {
    }

    /** The running broker, started on first use. */
    public static synchronized AppProcess get() {
        if (broker == null) {
            try {
                Path data = Files.createTempDirectory("minimq-dashboard-test-broker");
                broker = AppProcess.of("minimq-broker").with("minimq.broker.data-dir", data.toString()).start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            AppProcess started = broker;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close));
        }
        return broker;
    }

    public static String url() {
        return get().url();
    }

    /** Appends records ({@code key}, {@code value}) in one produce request; returns their offsets. */
    public static List<Long> produce(String topic, List<Map.Entry<String, Object>> records) {
        List<Map<String, Object>> body = new ArrayList<>();
        for (Map.Entry<String, Object> record : records) {
            body.add(Map.of("key", record.getKey(), "value", record.getValue(), "headers", Map.of("test", "yes")));
        }
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                            URI.create(url() + "/v1/topics/" + topic + "/records"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("records", body))))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new IllegalStateException("produce to " + topic + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            List<Long> offsets = new ArrayList<>();
            JSON.readTree(response.body()).path("offsets").forEach(offset -> offsets.add(offset.asLong()));
            return offsets;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One record, for {@link #produce}. */
    public static Map.Entry<String, Object> record(String key, Object value) {
        return Map.entry(key, value);
    }

    public static JsonNode json(String text) {
        return JSON.readTree(text);
    }
}
