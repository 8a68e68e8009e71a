package io.minimq.agent.publish;

import io.micrometer.core.instrument.MeterRegistry;
import io.minimq.agent.AgentProperties;
import io.minimq.agent.system.NodeIdentity;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.ObjectMapper;

/** The HTTP client to the broker, the buffer in front of it, and the readiness check on it. */
@Configuration(proxyBeanMethods = false)
class PublishConfiguration {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
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
        // the broker speaks HTTP/1.1; asking for it saves an h2c upgrade attempt on every new connection
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .executor(oneThread());
        if ("http".equalsIgnoreCase(properties.brokerUrl().getScheme())) {
            builder.sslContext(new NoTls()).sslParameters(new SSLParameters());
        }
        HttpClient http = builder.build();
        return new BrokerPublisher(http, RESPONSE_TIMEOUT, buffer, status, mapper, properties, node.name(), registry);
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

    /**
     * The client's completions (a few per second) on one daemon thread instead of the default pool
     * of several; the thread ends after a minute without work, so a closed agent leaves none behind.
     */
    private static ThreadPoolExecutor oneThread() {
        return new ThreadPoolExecutor(0, 1, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = new Thread(task, "minimq-http");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * The TLS context of a client that talks to an {@code http://} broker: never used. Without it the
     * JDK's HttpClient builds the default one as it is created, loading the JSSE provider and parsing
     * the whole {@code cacerts} trust store: about 800 classes and several MB of a per-node agent's
     * memory for TLS it never speaks. (Any use would fail: it has no implementation.) An {@code
     * https://} broker gets the JDK's default context as usual.
     */
    private static final class NoTls extends SSLContext {
        NoTls() {
            super(null, null, "none");
        }
    }
}
