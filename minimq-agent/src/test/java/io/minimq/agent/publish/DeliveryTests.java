package io.minimq.agent.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.minimq.agent.AgentApplication;
import io.minimq.agent.collect.CollectorScheduler;
import io.minimq.common.Topics;
import io.minimq.common.api.BrokerRecord;
import io.minimq.common.api.FetchResponse;
import io.minimq.common.metrics.MetricSample;
import io.minimq.common.metrics.NodeInfo;
import io.minimq.testkit.AppProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * The agent, run in this JVM on the real host, delivering to a real broker run from its fat jar in
 * a child process ({@link AppProcess}): records keyed by node, nothing lost or duplicated across a
 * broker restart, a full buffer dropping the oldest, and a wrong token turning readiness DOWN.
 */
@ExtendWith(OutputCaptureExtension.class)
class DeliveryTests {

    private static final Duration AWAIT = Duration.ofSeconds(60);
    private static final String TOKEN = "agent-delivery-test-token";

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();
    private final List<AutoCloseable> running = new ArrayList<>();

    @TempDir
    Path data;

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) { // agents before the brokers they talk to
            running.get(i).close();
        }
    }

    @Test
    void samplesOfEveryMetricArriveKeyedByNodeAfterTheNodeRecord() throws Exception {
        AppProcess broker = broker(true).start();
        ConfigurableApplicationContext agent = agent(broker, "node-a", TOKEN);

        await().atMost(AWAIT).untilAsserted(() -> {
            for (String topic : Topics.METRICS) {
                assertThat(fetch(broker, topic)).as(topic).isNotEmpty();
            }
        });
        for (String topic : Topics.METRICS) {
            BrokerRecord record = fetch(broker, topic).get(0);
            MetricSample sample = json.treeToValue(record.value(), MetricSample.class);
            assertThat(record.key()).isEqualTo("node-a");
            assertThat(sample.node()).isEqualTo("node-a");
            assertThat(Topics.forMetric(sample.metric())).isEqualTo(topic);
        }
        List<BrokerRecord> nodes = fetch(broker, Topics.NODES);
        assertThat(nodes).hasSize(1);
        NodeInfo info = json.treeToValue(nodes.get(0).value(), NodeInfo.class);
        assertThat(info.node()).isEqualTo("node-a");
        assertThat(info.cpuCount()).isPositive();
        assertThat(info.memTotalBytes()).isPositive();
        assertThat(counter(agent, "minimq.agent.samples.sent")).isPositive();
    }

    @Test
    void aBrokerDownFor20SecondsLosesAndDuplicatesNothing() throws Exception {
        AppProcess broker = broker(false).start();
        ConfigurableApplicationContext agent = agent(broker, "node-b", null, "--minimq.agent.not-ready-after=3s");
        await().atMost(AWAIT).until(() -> counter(agent, "minimq.agent.samples.sent") > 10);

        long stoppedAt = System.currentTimeMillis();
        broker.stop();
        await().atMost(AWAIT).until(() -> status(agent, "/actuator/health/readiness") == 503);
        assertThat(status(agent, "/actuator/health/liveness")).isEqualTo(200);
        Thread.sleep(Math.max(0, stoppedAt + 20_000 - System.currentTimeMillis()));
        assertThat(publisher(agent).buffered()).isPositive();
        long restartedAt = System.currentTimeMillis();
        broker.start();

        await().atMost(AWAIT).until(() -> status(agent, "/actuator/health/readiness") == 200);
        agent.getBean(CollectorScheduler.class).stop();
        await().atMost(AWAIT).until(() -> publisher(agent).buffered() == 0);

        assertThat(counter(agent, "minimq.agent.samples.dropped")).isZero();
        for (String topic : Topics.METRICS) {
            List<Long> taken = fetch(broker, topic).stream().map(r -> sample(r).timestamp()).toList();
            double collected = agent.getBean(MeterRegistry.class).get("minimq.agent.samples.collected")
                    .tag("metric", Topics.metricOf(topic)).counter().count();
            assertThat(taken).as("%s: every sample taken, once, in order", topic)
                    .hasSize((int) collected).isSorted().doesNotHaveDuplicates();
            assertThat(taken).as("%s: samples taken while the broker was down", topic)
                    .anyMatch(t -> t > stoppedAt && t < restartedAt);
        }
    }

    @Test
    void aFullBufferDropsTheOldestAndCountsThem() throws Exception {
        AppProcess broker = broker(false); // not started yet
        ConfigurableApplicationContext agent = agent(broker, "node-c", null, "--minimq.agent.buffer-capacity=30");
        MeterRegistry registry = agent.getBean(MeterRegistry.class);
        await().atMost(AWAIT).until(() -> counter(agent, "minimq.agent.samples.dropped") > 20);
        agent.getBean(CollectorScheduler.class).stop();
        assertThat(registry.get("minimq.agent.buffered.samples").gauge().value()).isEqualTo(30);
        double collected = registry.get("minimq.agent.samples.collected").counters().stream()
                .mapToDouble(c -> c.count()).sum();
        double dropped = counter(agent, "minimq.agent.samples.dropped");

        broker.start();
        await().atMost(AWAIT).until(() -> publisher(agent).buffered() == 0);

        long delivered = fetch(broker, Topics.NODES).size();
        for (String topic : Topics.METRICS) {
            List<Long> taken = fetch(broker, topic).stream().map(r -> sample(r).timestamp()).toList();
            assertThat(taken).as(topic).isSorted().doesNotHaveDuplicates();
            delivered += taken.size();
        }
        assertThat(delivered).as("exactly what the full buffer held").isEqualTo(30);
        assertThat(delivered + (long) dropped).as("every record (samples and the node record) delivered or counted")
                .isEqualTo((long) collected + 1);
        assertThat(counter(agent, "minimq.agent.samples.dropped")).isEqualTo(dropped);
    }

    @Test
    void aWrongTokenIsLoggedClearlyAndTurnsReadinessDown(CapturedOutput output) throws Exception {
        AppProcess broker = broker(true).start();
        ConfigurableApplicationContext agent = agent(broker, "node-d", "not-the-token",
                "--minimq.agent.not-ready-after=2s");

        await().atMost(AWAIT).until(() -> status(agent, "/actuator/health/readiness") == 503);
        assertThat(get(agent, "/actuator/health/readiness")).contains("\"delivery\"").contains("401");
        assertThat(status(agent, "/actuator/health/liveness")).isEqualTo(200);
        assertThat(output.getOut()).contains("refused the agent's token (HTTP 401")
                .contains("set minimq.agent.token to a token with the produce role");
        assertThat(counter(agent, "minimq.agent.samples.sent")).isZero();
    }

    private AppProcess broker(boolean secured) {
        AppProcess broker = AppProcess.of("minimq-broker").with("minimq.broker.data-dir", data.toString());
        if (secured) {
            broker.with("minimq.broker.security.tokens[0].token", TOKEN)
                    .with("minimq.broker.security.tokens[0].roles", "produce,consume");
        }
        running.add(broker);
        return broker;
    }

    private ConfigurableApplicationContext agent(AppProcess broker, String node, String token, String... extra) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
                "--minimq.agent.broker-url=" + broker.url(), "--minimq.agent.node-name=" + node,
                "--minimq.agent.interval.cpu=100ms", "--minimq.agent.interval.mem=200ms",
                "--minimq.agent.interval.disk=200ms", "--minimq.agent.interval.net=200ms",
                "--minimq.agent.interval.load=200ms", "--minimq.agent.retry-max-backoff=1s"));
        if (token != null) {
            args.add("--minimq.agent.token=" + token);
        }
        args.addAll(List.of(extra));
        ConfigurableApplicationContext agent = new SpringApplicationBuilder(AgentApplication.class)
                .run(args.toArray(String[]::new));
        running.add(agent::close);
        return agent;
    }

    private static BrokerPublisher publisher(ConfigurableApplicationContext agent) {
        return agent.getBean(BrokerPublisher.class);
    }

    private static double counter(ConfigurableApplicationContext agent, String name) {
        return agent.getBean(MeterRegistry.class).get(name).counter().count();
    }

    private MetricSample sample(BrokerRecord record) {
        return json.treeToValue(record.value(), MetricSample.class);
    }

    /** Every record of a topic (empty when it does not exist yet). */
    private List<BrokerRecord> fetch(AppProcess broker, String topic) throws Exception {
        List<BrokerRecord> records = new ArrayList<>();
        long offset = 0;
        while (true) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(broker.url() + "/v1/topics/"
                    + topic + "/records?offset=" + offset + "&limit=10000")).header("Authorization", "Bearer " + TOKEN)
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 404) {
                return records;
            }
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            FetchResponse page = json.readValue(response.body(), FetchResponse.class);
            records.addAll(page.records());
            if (page.records().isEmpty() || page.nextOffset() >= page.endOffset()) {
                return records;
            }
            offset = page.nextOffset();
        }
    }

    private int status(ConfigurableApplicationContext agent, String path) throws Exception {
        return http.send(request(agent, path), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private String get(ConfigurableApplicationContext agent, String path) throws Exception {
        return http.send(request(agent, path), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static HttpRequest request(ConfigurableApplicationContext agent, String path) {
        int port = agent.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build();
    }
}
