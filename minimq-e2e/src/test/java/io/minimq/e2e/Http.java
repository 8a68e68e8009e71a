package io.minimq.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Plain HTTP and JSON for the system tests: what any client of MiniMQ would send. */
final class Http {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Http() {
    }

    static HttpResponse<String> get(String url, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(40));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.GET().build());
    }

    static HttpResponse<String> post(String url, String json, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(40))
                .header("Content-Type", "application/json");
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    /** Every record of a topic from offset 0, following nextOffset until the end. */
    static java.util.List<JsonNode> readAll(String brokerUrl, String topic, String... headers) {
        java.util.List<JsonNode> records = new java.util.ArrayList<>();
        long offset = 0;
        while (true) {
            HttpResponse<String> response = get(brokerUrl + "/v1/topics/" + topic + "/records?offset=" + offset
                    + "&limit=10000", headers);
            if (response.statusCode() != 200) {
                throw new IllegalStateException("fetch " + topic + "@" + offset + ": " + response.statusCode() + " "
                        + response.body());
            }
            JsonNode page = json(response);
            page.get("records").forEach(records::add);
            long next = page.get("nextOffset").asLong();
            if (next >= page.get("endOffset").asLong() || next == offset) {
                return records;
            }
            offset = next;
        }
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
