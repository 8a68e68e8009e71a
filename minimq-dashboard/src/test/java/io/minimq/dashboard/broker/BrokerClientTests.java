package io.minimq.dashboard.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minimq.common.api.FetchResponse;
import io.minimq.common.api.TopicInfo;
import io.minimq.dashboard.DashboardProperties;
import io.minimq.testkit.AppProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The broker client against a real broker that requires tokens: it sends the configured one, and maps errors. */
class BrokerClientTests {

    private static final String DASHBOARD_TOKEN = "dashboard-secret";
    private static final String PRODUCER_TOKEN = "producer-secret";
    private static AppProcess broker;

    @BeforeAll
    static void startSecuredBroker() throws Exception {
        Path data = Files.createTempDirectory("minimq-dashboard-secured-broker");
        broker = AppProcess.of("minimq-broker")
                .with("minimq.broker.data-dir", data.toString())
                .with("minimq.broker.security.tokens[0].token", DASHBOARD_TOKEN)
                .with("minimq.broker.security.tokens[0].roles", "consume")
                .with("minimq.broker.security.tokens[1].token", PRODUCER_TOKEN)
                .with("minimq.broker.security.tokens[1].roles", "produce")
                .start();
        HttpResponse<String> produced = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(broker.url() + "/v1/topics/secured/records"))
                .header("Authorization", "Bearer " + PRODUCER_TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"records\":[{\"value\":1},{\"value\":2}]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(produced.statusCode()).as(produced.body()).isEqualTo(201);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static BrokerClient client(String token) {
        DashboardProperties properties = new DashboardProperties(URI.create(broker.url()), token, Duration.ofSeconds(15),
                Duration.ofMinutes(5), Duration.ofSeconds(10), 64, Duration.ofSeconds(1), 100, Duration.ofMillis(100),
                Duration.ofSeconds(1));
        return new BrokerClient(properties, JsonMapper.builder().build());
    }

    @Test
    void sendsTheConfiguredBearerToken() {
        BrokerClient client = client(DASHBOARD_TOKEN);

        List<TopicInfo> topics = client.topics().block(Duration.ofSeconds(30));
        FetchResponse page = client.fetch("secured", "earliest", 10, Duration.ZERO).block(Duration.ofSeconds(30));

        assertThat(topics).extracting(TopicInfo::name).contains("secured");
        assertThat(page.records()).hasSize(2);
        assertThat(page.records().get(1).value().asInt()).isEqualTo(2);
    }

    @Test
    void aMissingOrWrongTokenIsABrokerErrorThatDoesNotRepeatTheToken() {
        for (String token : new String[] {"", "wrong-token"}) {
            assertThatThrownBy(() -> client(token).topics().block(Duration.ofSeconds(30)))
                    .isInstanceOfSatisfying(BrokerException.class, e -> assertThat(e.status()).isEqualTo(401))
                    .message().doesNotContain(DASHBOARD_TOKEN).doesNotContain("wrong-token");
        }
    }

    @Test
    void mapsUnknownTopicsAndOffsetsOutOfRange() {
        BrokerClient client = client(DASHBOARD_TOKEN);

        assertThatThrownBy(() -> client.fetch("no-such-topic", "0", 10, Duration.ZERO).block(Duration.ofSeconds(30)))
                .isInstanceOf(UnknownTopicException.class);
        assertThatThrownBy(() -> client.fetch("secured", "7", 10, Duration.ZERO).block(Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(OffsetOutOfRangeException.class, e -> {
                    assertThat(e.startOffset()).isZero();
                    assertThat(e.endOffset()).isEqualTo(2);
                });
    }

    @Test
    void aLongPollWithNothingNewEndsEmptyAtTheSameOffset() {
        BrokerClient client = client(DASHBOARD_TOKEN);

        FetchResponse waited = client.fetch("secured", "2", 10, Duration.ofMillis(300)).block(Duration.ofSeconds(30));

        assertThat(waited.records()).isEmpty();
        assertThat(waited.nextOffset()).isEqualTo(2);
    }
}
