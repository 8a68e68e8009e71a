package io.minimq.agent.system;

import io.minimq.agent.AgentProperties;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.endpoint.jackson.EndpointJsonMapper;
import org.springframework.boot.actuate.info.InfoEndpoint;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointWebExtension;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.health.registry.ReactiveHealthContributorRegistry;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import oshi.SystemInfo;
import tools.jackson.databind.ObjectMapper;

/**
 * The host as the agent sees it (OSHI's view of the hardware, the node's name, the clock) and the
 * management port it answers on.
 */
@Configuration(proxyBeanMethods = false)
class SystemConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SystemConfiguration.class);

    /** An indicator slower than this is logged (Boot's default for its own web extension). */
    private static final Duration SLOW_HEALTH_INDICATOR = Duration.ofSeconds(10);

    @Bean
    SystemInfo systemInfo() {
        return new SystemInfo();
    }

    @Bean
    NodeIdentity nodeIdentity(AgentProperties properties) {
        NodeIdentity node = NodeIdentity.resolve(properties.nodeName(), System.getenv());
        log.info("Agent for node '{}' reading {}", node.name(), HostPaths.proc());
        return node;
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Actuator's health, prometheus and info endpoints on {@code server.port} (and {@code
     * server.address} when set), with Actuator's own JSON mapper when it has one.
     */
    @Bean
    ActuatorHttpServer actuatorHttpServer(@Value("${server.port:8081}") int port,
            @Value("${server.address:}") String address, ObjectProvider<HealthEndpoint> health,
            ObjectProvider<HealthEndpointGroups> groups, ObjectProvider<HealthContributorRegistry> contributors,
            ObjectProvider<ReactiveHealthContributorRegistry> reactiveContributors,
            ObjectProvider<PrometheusScrapeEndpoint> prometheus,
            ObjectProvider<InfoEndpoint> info, ObjectProvider<EndpointJsonMapper> endpointJson, ObjectMapper json,
            ConfigurableEnvironment environment) {
        InetSocketAddress bind = address.isBlank() ? new InetSocketAddress(port) : new InetSocketAddress(address, port);
        EndpointJsonMapper actuatorJson = endpointJson.getIfAvailable();
        // the web extension Boot would register for a web server: groups, show-details, status codes
        HealthEndpointWebExtension healthWeb = health.getIfAvailable() == null ? null
                : new HealthEndpointWebExtension(contributors.getObject(), reactiveContributors.getIfAvailable(),
                        groups.getObject(), SLOW_HEALTH_INDICATOR);
        return new ActuatorHttpServer(bind, healthWeb, prometheus.getIfAvailable(), info.getIfAvailable(), actuatorJson != null ? actuatorJson.get() : json,
                environment);
    }
}
