package io.minimq.agent.system;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.info.InfoEndpoint;
import org.springframework.boot.actuate.endpoint.ApiVersion;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointWebExtension;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusOutputFormat;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import tools.jackson.databind.ObjectMapper;

/**
 * The agent's management port ({@code server.port}, 8081 by default): Spring Boot Actuator's
 * health, Prometheus and info endpoints, served by the JDK's own {@link HttpServer}.
 *
 * <p>Why not Boot's web server: a reactive or servlet stack (Netty + Reactor, or Tomcat + Spring
 * MVC) loads thousands of classes, which on a per-node agent costs more resident memory than
 * everything else together. These five read-only paths need none of it:
 * <ul>
 * <li>{@code /actuator/health}, {@code /actuator/health/liveness}, {@code /actuator/health/readiness}
 * (and any other group or component path) ask Boot's own {@link HealthEndpointWebExtension}, the
 * same object Boot's web servers call, as an anonymous caller: health groups, show-details (details
 * only where configured, e.g. readiness) and every indicator (the agent's {@code delivery} among
 * them) behave as configured, with the group's status code (503 when DOWN or OUT_OF_SERVICE);</li>
 * <li>{@code /actuator/prometheus} is Boot's {@link PrometheusScrapeEndpoint}: every Micrometer
 * meter, in the text format the scraper asks for ({@code Accept}), {@code includedNames} honoured;</li>
 * <li>{@code /actuator/info} is Boot's {@link InfoEndpoint}.</li>
 * </ul>
 * An endpoint left out by {@code management.endpoints.web.exposure} has no bean and answers 404.
 *
 * <p>Requests are handled on the server's one dispatcher thread: each answer is computed in
 * microseconds from values the collectors already hold, and a probe or scrape every few seconds
 * does not need a pool. The bound port is published as {@code local.server.port}, as Boot's web
 * servers do, so {@code server.port=0} (tests) works with {@code @LocalServerPort}.
 */
public class ActuatorHttpServer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ActuatorHttpServer.class);

    private static final String ACTUATOR = "/actuator";
    private static final String ACTUATOR_JSON = "application/vnd.spring-boot.actuator.v3+json";
    private static final String JSON = "application/json";

    private final InetSocketAddress address;
    private final HealthEndpointWebExtension health;
    private final PrometheusScrapeEndpoint prometheus;
    private final InfoEndpoint info;
    private final ObjectMapper json;
    private final ConfigurableEnvironment environment;
    private volatile HttpServer server;

    /**
     * @param health, prometheus, info Boot's endpoints; {@code null} for one not exposed
     * @param json the mapper Actuator uses for its endpoints' JSON
     */
    ActuatorHttpServer(InetSocketAddress address, HealthEndpointWebExtension health,
            PrometheusScrapeEndpoint prometheus, InfoEndpoint info, ObjectMapper json,
            ConfigurableEnvironment environment) {
        this.address = address;
        this.health = health;
        this.prometheus = prometheus;
        this.info = info;
        this.json = json;
        this.environment = environment;
    }

    @Override
    public void start() {
        try {
            HttpServer http = HttpServer.create(address, 0);
            http.createContext("/", this::handle);
            http.start();
            server = http;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on " + address, e);
        }
        int port = port();
        environment.getPropertySources().addFirst(new MapPropertySource("server.ports", Map.of("local.server.port", port)));
        log.info("Health, metrics and info on port {} ({}/health, {}/prometheus, {}/info)", port, ACTUATOR, ACTUATOR,
                ACTUATOR);
    }

    @Override
    public void stop() {
        HttpServer http = server;
        if (http != null) {
            server = null;
            http.stop(0); // probes and scrapes are retried by their callers; nothing to drain
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    /** The port the server listens on (the bound one when {@code server.port} is 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                route(exchange);
            } catch (RuntimeException e) {
                // never a stack trace to the caller; one line here
                log.warn("Cannot answer {} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        e.toString());
                send(exchange, 500, null, new byte[0]);
            }
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            send(exchange, 405, null, new byte[0]);
            return;
        }
        String path = exchange.getRequestURI().getPath();
        if (health != null && (path.equals(ACTUATOR + "/health") || path.startsWith(ACTUATOR + "/health/"))) {
            health(exchange, path.substring((ACTUATOR + "/health").length()));
        } else if (prometheus != null && path.equals(ACTUATOR + "/prometheus")) {
            prometheus(exchange);
        } else if (info != null && path.equals(ACTUATOR + "/info")) {
            sendJson(exchange, 200, info.info());
        } else {
            send(exchange, 404, null, new byte[0]);
        }
    }

    /** {@code ""} is the whole health, {@code "/readiness"} a group, {@code "/readiness/delivery"} one member. */
    private void health(HttpExchange exchange, String subPath) throws IOException {
        String[] segments = Arrays.stream(subPath.split("/")).filter(s -> !s.isEmpty()).toArray(String[]::new);
        WebEndpointResponse<HealthDescriptor> answer = health.health(ApiVersion.V3, WebServerNamespace.SERVER,
                SecurityContext.NONE, segments);
        if (answer.getBody() == null) {
            send(exchange, answer.getStatus(), null, new byte[0]); // 404: no such group or component
            return;
        }
        sendJson(exchange, answer.getStatus(), answer.getBody());
    }

    private void prometheus(HttpExchange exchange) throws IOException {
        var scrape = prometheus.scrape(format(exchange.getRequestHeaders().getFirst("Accept")),
                includedNames(exchange.getRequestURI()));
        send(exchange, scrape.getStatus(), scrape.getContentType().toString(), scrape.getBody());
    }

    /** The exposition format the scraper accepts: OpenMetrics or protobuf when asked for, else text 0.0.4. */
    private static PrometheusOutputFormat format(String accept) {
        if (accept != null) {
            for (PrometheusOutputFormat format : new PrometheusOutputFormat[] {
                    PrometheusOutputFormat.CONTENT_TYPE_OPENMETRICS_100, PrometheusOutputFormat.CONTENT_TYPE_PROTOBUF}) {
                if (accept.contains(format.getProducedMimeType().getType() + "/"
                        + format.getProducedMimeType().getSubtype())) {
                    return format;
                }
            }
        }
        return PrometheusOutputFormat.CONTENT_TYPE_004;
    }

    /** {@code ?includedNames=a,b} (or repeated), as Actuator reads it; {@code null} for all meters. */
    private static Set<String> includedNames(URI uri) {
        String query = uri.getQuery();
        if (query == null) {
            return null;
        }
        Set<String> names = new LinkedHashSet<>();
        for (String parameter : query.split("&")) {
            if (parameter.startsWith("includedNames=")) {
                names.addAll(Arrays.asList(parameter.substring("includedNames=".length()).split(",")));
            }
        }
        names.remove("");
        return names.isEmpty() ? null : names;
    }

    /** JSON in Actuator's own media type unless the caller asked for plain {@code application/json}. */
    private void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        boolean plain = accept != null && accept.contains(JSON) && !accept.contains(ACTUATOR_JSON);
        send(exchange, status, plain ? JSON : ACTUATOR_JSON, json.writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        boolean head = exchange.getRequestMethod().equals("HEAD");
        // -1: no body (HEAD, or nothing to say); else a fixed length, so connections are kept alive
        exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Boot's own web servers' phase: started after every bean is built, stopped after graceful shutdowns. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1024;
    }
}
