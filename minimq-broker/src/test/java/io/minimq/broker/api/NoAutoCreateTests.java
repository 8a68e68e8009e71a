package io.minimq.broker.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.minimq.broker.TempDirs;
import io.minimq.broker.TestHttp;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With {@code auto-create-topics=false} a produce to an unknown topic is a 404 until the topic is created. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "minimq.broker.auto-create-topics=false")
class NoAutoCreateTests {

    static final Path DATA_DIR = TempDirs.create();

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("minimq.broker.data-dir", DATA_DIR::toString);
    }

    @LocalServerPort
    int port;

    @Test
    void produceToAnUnknownTopicIs404UntilItIsCreated() {
        TestHttp http = new TestHttp(port);
        var refused = http.post("/v1/topics/manual/records", "{\"records\":[{\"value\":1}]}");
        assertThat(refused.statusCode()).isEqualTo(404);
        assertThat(refused.body()).contains("\"title\":\"Topic not found\"");
        assertThat(http.post("/produce", "{\"topic\":\"manual\",\"message\":\"m\"}").statusCode()).isEqualTo(404);

        assertThat(http.put("/v1/topics/manual", "{}").statusCode()).isEqualTo(201);
        assertThat(http.post("/v1/topics/manual/records", "{\"records\":[{\"value\":1}]}").statusCode()).isEqualTo(201);
    }
}
