package io.minimq.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One real broker (open mode, no token) on a random port with its own temporary data
 * directory, shared by every test class that extends this one (Spring caches the context).
 * Tests use fresh topic names, so they never see each other's records.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"minimq.broker.max-request-bytes=1MB", "minimq.broker.max-record-bytes=64KB",
            "minimq.broker.max-records-per-request=500"})
public abstract class OpenBrokerTestBase {

    /** The data directory, alone in a sandbox directory so that anything written beside it shows. */
    protected static final Path SANDBOX = TempDirs.create();
    protected static final Path DATA_DIR = SANDBOX.resolve("data");
    protected static final JsonMapper JSON = JsonMapper.builder().build();

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("minimq.broker.data-dir", DATA_DIR::toString);
    }

    @LocalServerPort
    protected int port;

    protected TestHttp http() {
        return new TestHttp(port);
    }

    /**
     * True for the file log. The Kafka back end runs the same contract with two known differences:
     * its transaction markers take offsets (an idempotent request leaves a gap after it) and its
     * Admin API reports no segment count ({@code segments} is -1).
     */
    protected boolean fileLog() {
        return true;
    }

    protected static String freshTopic() {
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }

    protected static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    /** Asserts a problem+json answer with this status (and title, when given). */
    protected static JsonNode assertProblem(HttpResponse<String> response, int status, String title) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = json(response);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        if (title != null) {
            assertThat(problem.get("title").asString()).isEqualTo(title);
        }
        assertThat(response.body()).doesNotContain("Exception").doesNotContain(DATA_DIR.toString())
                .doesNotContain("at io.").doesNotContain("\"path\"").doesNotContain("\"instance\"");
        return problem;
    }
}
