package io.minimq.agent.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.minimq.agent.AgentApplication;
import io.minimq.agent.collect.CollectorScheduler;
import io.minimq.common.Topics;
import io.minimq.common.api.ApiHeaders;
import io.minimq.common.api.FetchResponse;
import io.minimq.common.metrics.MetricSample;
import io.minimq.testkit.AppProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * The case idempotence exists for: the broker appends a batch but its answer never reaches the
 * agent. A proxy between them forwards every request to a real broker and, the first time it sees
 * a batch succeed, drops the answer and closes the connection. The agent resends the same batch
 * under the same sequence number; the broker recognises it (200 with the original offsets) and
 * every sample is stored exactly once.
 */
class LostAnswerTests {

    private static final int ANSWERS_TO_LOSE = 10;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();
    private final Set<String> lostAnswers = ConcurrentHashMap.newKeySet();
    private final AtomicInteger duplicatesRecognised = new AtomicInteger();

    @TempDir
    Path data;

    private AppProcess broker;
    private HttpServer proxy;
    private ConfigurableApplicationContext agent;

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        if (proxy != null) {
            proxy.stop(0);
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aBatchWhoseAnswerWasLostIsResentAndStoredOnce() throws Exception {
        broker = AppProcess.of("minimq-broker").with("minimq.broker.data-dir", data.toString()).start();
        proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        proxy.createContext("/", this::forward);
        proxy.start();
        agent = new SpringApplicationBuilder(AgentApplication.class).run("--server.port=0",
                "--server.address=127.0.0.1", "--minimq.agent.node-name=node-e",
                "--minimq.agent.broker-url=http://127.0.0.1:" + proxy.getAddress().getPort(),
                "--minimq.agent.interval.cpu=100ms", "--minimq.agent.interval.mem=200ms",
                "--minimq.agent.retry-max-backoff=500ms");

        await().atMost(Duration.ofSeconds(60)).until(() -> duplicatesRecognised.get() >= ANSWERS_TO_LOSE);
        agent.getBean(CollectorScheduler.class).stop();
        await().atMost(Duration.ofSeconds(60)).until(() -> agent.getBean(BrokerPublisher.class).buffered() == 0);

        assertThat(lostAnswers).hasSize(ANSWERS_TO_LOSE);
        MeterRegistry registry = agent.getBean(MeterRegistry.class);
        for (String topic : List.of(Topics.CPU, Topics.MEM)) {
            List<Long> taken = json.readValue(http.send(HttpRequest.newBuilder(URI.create(broker.url()
                    + "/v1/topics/" + topic + "/records?offset=0&limit=10000")).build(),
                    HttpResponse.BodyHandlers.ofString()).body(), FetchResponse.class).records().stream()
                    .map(r -> json.treeToValue(r.value(), MetricSample.class).timestamp()).toList();
            double collected = registry.get("minimq.agent.samples.collected").tag("metric", Topics.metricOf(topic))
                    .counter().count();
            assertThat(taken).as(topic).hasSize((int) collected).isSorted().doesNotHaveDuplicates();
        }
    }

    /** Relays one request to the broker; loses the first answers of successful produces. */
    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(broker.url() + exchange.getRequestURI()))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            for (String header : List.of("Content-Type", ApiHeaders.PRODUCER_ID, ApiHeaders.PRODUCER_SEQ)) {
                String value = exchange.getRequestHeaders().getFirst(header);
                if (value != null) {
                    request.header(header, value);
                }
            }
            HttpResponse<byte[]> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            String batch = exchange.getRequestURI().getPath() + "#"
                    + exchange.getRequestHeaders().getFirst(ApiHeaders.PRODUCER_SEQ);
            if (answer.statusCode() == 201 && lostAnswers.size() < ANSWERS_TO_LOSE && lostAnswers.add(batch)) {
                return; // appended, but the agent never hears of it: the connection just closes
            }
            if (answer.statusCode() == 200 && lostAnswers.contains(batch)) {
                duplicatesRecognised.incrementAndGet();
            }
            answer.headers().firstValue("Content-Type")
                    .ifPresent(type -> exchange.getResponseHeaders().set("Content-Type", type));
            exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
