package io.minimq.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The app starts on a random port and answers its Kubernetes probes and Prometheus over real HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BrokerApplicationTests {

    static final Path DATA_DIR = TempDirs.create();

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("minimq.broker.data-dir", DATA_DIR::toString);
    }

    @LocalServerPort
    int port;

    private HttpResponse<String> get(String path) {
        return new TestHttp(port).get(path);
    }

    @Test
    void probesAreUp() {
        HttpResponse<String> readiness = get("/actuator/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).contains("\"status\":\"UP\"");
        HttpResponse<String> liveness = get("/actuator/health/liveness");
        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(liveness.body()).contains("\"status\":\"UP\"");
    }

    @Test
    void prometheusIsExposed() {
        HttpResponse<String> metrics = get("/actuator/prometheus");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes").contains("application=\"minimq-broker\"");
    }

    @Test
    void usesItsOwnDataDirectory() {
        assertThat(Path.of("data")).as("the test must not write to ./data").doesNotExist();
        assertThat(DATA_DIR).isDirectory();
    }
}
