package io.minimq.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minimq.testkit.AppProcess;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Failure drill with authentication on: the agent and the dashboard with the right tokens work;
 * with wrong ones they stay up but say so clearly, in their health and their logs.
 */
class AuthDrillTests {

    private static final String ADMIN = "Bearer admin-secret";
    private AppProcess broker;
    private AppProcess goodAgent;
    private AppProcess badAgent;
    private AppProcess goodDashboard;
    private AppProcess badDashboard;

    @AfterEach
    void stop() {
        MiniMq.stopAll(goodAgent, badAgent, goodDashboard, badDashboard, broker);
    }

    @Test
    void rightTokensWorkAndWrongTokensAreReportedClearly() {
        broker = MiniMq.broker(MiniMq.tempDir("auth"))
                .with("minimq.broker.security.tokens[0].token", "admin-secret")
                .with("minimq.broker.security.tokens[0].roles", "produce,consume,admin")
                .with("minimq.broker.security.tokens[1].token", "agent-secret")
                .with("minimq.broker.security.tokens[1].roles", "produce")
                .with("minimq.broker.security.tokens[2].token", "dashboard-secret")
                .with("minimq.broker.security.tokens[2].roles", "consume").start();
        assertThat(Http.get(broker.url() + "/v1/topics").statusCode()).isEqualTo(401);

        goodAgent = MiniMq.agent(broker, "auth-good").with("minimq.agent.token", "agent-secret").start();
        badAgent = MiniMq.agent(broker, "auth-bad").with("minimq.agent.token", "wrong-secret")
                .with("minimq.agent.not-ready-after", "2s").startNoWait();
        goodDashboard = MiniMq.dashboard(broker).with("minimq.dashboard.token", "dashboard-secret").start();
        badDashboard = MiniMq.dashboard(broker).with("minimq.dashboard.token", "wrong-secret").startNoWait();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode cpu = Http.json(Http.get(broker.url() + "/v1/topics/metrics.cpu/records?limit=1000",
                    "Authorization", ADMIN));
            assertThat(cpu.get("records").findValuesAsString("key")).contains("auth-good").doesNotContain("auth-bad");
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                Http.json(Http.get(goodDashboard.url() + "/api/nodes")).findValuesAsString("node"))
                .contains("auth-good"));

        // The agent with a wrong token keeps running, is not ready, and its log says why.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(badAgent.isAlive()).isTrue();
            assertThat(badAgent.status("/actuator/health/liveness")).isEqualTo(200);
            assertThat(badAgent.status("/actuator/health/readiness")).isEqualTo(503);
            assertThat(badAgent.logTail()).contains("401").contains("minimq.agent.token").doesNotContain("wrong-secret");
        });
        // The dashboard with a wrong token keeps running and serving pages, shows no data, reports the
        // broker DOWN in its health and logs the refusal naming the setting to fix.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(badDashboard.isAlive()).isTrue();
            assertThat(badDashboard.status("/actuator/health/liveness")).isEqualTo(200);
            assertThat(badDashboard.status("/actuator/health")).isEqualTo(503);
            assertThat(badDashboard.logTail()).contains("401").contains("minimq.dashboard.token")
                    .doesNotContain("wrong-secret");
            assertThat(Http.get(badDashboard.url() + "/api/nodes").body()).doesNotContain("auth-good");
        });
        assertThat(goodDashboard.status("/actuator/health")).isEqualTo(200);
    }
}
