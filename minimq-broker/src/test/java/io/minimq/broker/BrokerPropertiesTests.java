package io.minimq.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minimq.broker.BrokerProperties.FlushPolicy;
import io.minimq.broker.BrokerProperties.Role;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The settings bind from environment variables the way a Kubernetes Secret or a container
 * provides them, and fall back to the documented defaults.
 */
class BrokerPropertiesTests {

    private static BrokerProperties bindEnv(Map<String, Object> env) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env));
        return Binder.get(environment).bindOrCreate("minimq.broker", BrokerProperties.class);
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        BrokerProperties p = bindEnv(Map.of());
        assertThat(p.dataDir().normalize()).isEqualTo(Path.of("data"));
        assertThat(p.storage()).isEqualTo(BrokerProperties.StorageType.FILE);
        assertThat(p.segmentBytes().toBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(p.segmentMs()).isEqualTo(Duration.ofDays(7));
        assertThat(p.retentionMs()).isEqualTo(Duration.ofDays(7));
        assertThat(p.retentionBytes().toBytes()).isEqualTo(-1);
        assertThat(p.flush()).isEqualTo(FlushPolicy.INTERVAL);
        assertThat(p.flushInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.maxRecordBytes().toBytes()).isEqualTo(1024 * 1024);
        assertThat(p.maxRequestBytes().toBytes()).isEqualTo(8 * 1024 * 1024);
        assertThat(p.maxRecordsPerRequest()).isEqualTo(10_000);
        assertThat(p.autoCreateTopics()).isTrue();
        assertThat(p.security().open()).isTrue();
        assertThat(p.security().protectMetrics()).isFalse();
        assertThat(p.rateLimit().enabled()).isFalse();
    }

    @Test
    void tokensAndEverythingElseBindFromEnvironmentVariables() {
        BrokerProperties p = bindEnv(Map.of(
                "MINIMQ_BROKER_SECURITY_TOKENS_0_TOKEN", "agent-secret",
                "MINIMQ_BROKER_SECURITY_TOKENS_0_ROLES", "produce",
                "MINIMQ_BROKER_SECURITY_TOKENS_1_TOKEN", "dashboard-secret",
                "MINIMQ_BROKER_SECURITY_TOKENS_1_ROLES", "consume,admin",
                "MINIMQ_BROKER_SECURITY_PROTECT_METRICS", "true",
                "MINIMQ_BROKER_RATE_LIMIT_PER_CLIENT", "5000",
                "MINIMQ_BROKER_DATA_DIR", "/app/data",
                "MINIMQ_BROKER_FLUSH", "always",
                "MINIMQ_BROKER_RETENTION_MS", "3600000",
                "MINIMQ_BROKER_SEGMENT_BYTES", "16MB"));
        assertThat(p.security().tokens()).containsExactly(
                new BrokerProperties.TokenGrant("agent-secret", List.of(Role.PRODUCE)),
                new BrokerProperties.TokenGrant("dashboard-secret", List.of(Role.CONSUME, Role.ADMIN)));
        assertThat(p.security().protectMetrics()).isTrue();
        assertThat(p.rateLimit().perClient()).isEqualTo(5000);
        assertThat(p.dataDir()).isEqualTo(Path.of("/app/data"));
        assertThat(p.flush()).isEqualTo(FlushPolicy.ALWAYS);
        assertThat(p.retentionMs()).isEqualTo(Duration.ofHours(1));
        assertThat(p.segmentBytes().toBytes()).isEqualTo(16L * 1024 * 1024);
    }

    @Test
    void inconsistentLimitsAreRefused() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", Map.of(
                "minimq.broker.max-record-bytes", "10MB", "minimq.broker.max-request-bytes", "1MB")));
        assertThatThrownBy(() -> new Binder(ConfigurationPropertySources.get(environment))
                .bindOrCreate("minimq.broker", BrokerProperties.class))
                .isInstanceOf(BindException.class)
                .hasStackTraceContaining("must not exceed minimq.broker.max-request-bytes");
    }
}
