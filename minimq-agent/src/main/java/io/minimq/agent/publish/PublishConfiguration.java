package io.minimq.agent.publish;

import io.micrometer.core.instrument.MeterRegistry;
import io.minimq.agent.AgentProperties;
import io.minimq.agent.system.NodeIdentity;
import io.netty.channel.ChannelOption;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.ObjectMapper;

/** The HTTP client to the broker, the buffer in front of it, and the readiness check on it. */
@Configuration(proxyBeanMethods = false)
class PublishConfiguration {

    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SHUTDOWN_DRAIN = Duration.ofSeconds(3);

    @Bean
    OutboundBuffer outboundBuffer(AgentProperties properties, ObjectMapper mapper) {
        return new OutboundBuffer(properties.bufferCapacity(), new BatchEncoder(mapper));
    }

    @Bean
    DeliveryStatus deliveryStatus(Clock clock) {
        return new DeliveryStatus(clock);
    }

    @Bean
    BrokerPublisher brokerPublisher(AgentProperties properties, OutboundBuffer buffer, DeliveryStatus status,
            ObjectMapper mapper, NodeIdentity node, MeterRegistry registry) {
        HttpClient http = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .responseTimeout(RESPONSE_TIMEOUT);
        WebClient client = WebClient.builder()
                .baseUrl(properties.brokerUrl().toString())
                .clientConnector(new ReactorClientHttpConnector(http))
                .build();
        return new BrokerPublisher(client, buffer, status, mapper, properties, node.name(), registry);
    }

    /** Closes the publisher after the collectors have stopped, giving the last samples a moment to go out. */
    @Bean
    DisposableBean brokerPublisherShutdown(BrokerPublisher publisher) {
        return () -> publisher.close(SHUTDOWN_DRAIN);
    }

    @Bean
    DeliveryHealthIndicator deliveryHealthIndicator(DeliveryStatus status, OutboundBuffer buffer,
            AgentProperties properties) {
        return new DeliveryHealthIndicator(status, buffer, properties.notReadyAfter());
    }
}
