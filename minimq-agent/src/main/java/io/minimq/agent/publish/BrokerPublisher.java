package io.minimq.agent.publish;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.minimq.agent.AgentProperties;
import io.minimq.common.api.ApiHeaders;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Delivers records to the broker as an idempotent producer.
 *
 * <p>{@link #publish} puts a record in the {@link OutboundBuffer} and starts sending its topic if
 * nothing is in flight there. Each topic sends one batch at a time ({@code POST
 * /v1/topics/{topic}/records} with {@code MiniMQ-Producer-Id} and {@code MiniMQ-Producer-Seq});
 * a failed request is resent unchanged, with the same sequence number, after an exponential backoff
 * with jitter, until the broker takes it. When it does, the next batch of that topic goes out with
 * everything that waited meanwhile (up to {@code max-batch} records). So a broker that is down
 * loses nothing that fits in the buffer, duplicates nothing, and order per topic is kept.
 *
 * <p>The requests go out with the JDK's {@link HttpClient} ({@code sendAsync}); the resends are
 * timed by a Failsafe {@link RetryPolicy} on one small scheduler thread. Neither needs the Reactor
 * and Netty stack that a WebClient would load, which is most of what keeps the agent small.
 * Thread-safe; no HTTP work ever runs on the caller's thread.
 */
public class BrokerPublisher {

    private static final Logger log = LoggerFactory.getLogger(BrokerPublisher.class);

    private final HttpClient client;
    private final URI brokerUrl;
    private final Duration responseTimeout;
    private final OutboundBuffer buffer;
    private final DeliveryStatus status;
    private final ObjectMapper mapper;
    private final AgentProperties properties;
    private final String producerId;
    private final ScheduledThreadPoolExecutor resends;
    private final FailsafeExecutor<Void> retry;
    private final Counter sent;
    private final Counter dropped;
    private final Counter sendFailures;
    private volatile boolean stopped;
    private volatile boolean overflowing;

    BrokerPublisher(HttpClient client, Duration responseTimeout, OutboundBuffer buffer, DeliveryStatus status,
            ObjectMapper mapper, AgentProperties properties, String node, MeterRegistry registry) {
        this.client = client;
        this.brokerUrl = properties.brokerUrl();
        this.responseTimeout = responseTimeout;
        this.buffer = buffer;
        this.status = status;
        this.mapper = mapper;
        this.properties = properties;
        this.producerId = "agent-" + node + "-" + UUID.randomUUID();
        // one daemon thread times every resend; pending resends are dropped when it shuts down
        this.resends = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "minimq-resend");
            thread.setDaemon(true);
            return thread;
        });
        this.resends.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        // resend forever (-1): min-backoff doubling up to max-backoff, each delay +/- up to half of it
        RetryPolicy<Void> policy = RetryPolicy.<Void>builder()
                .handleIf(this::retryable)
                .withMaxRetries(-1)
                .withBackoff(properties.retryMinBackoff(), properties.retryMaxBackoff())
                .withJitter(0.5)
                .onRetry(event -> log.debug("Resending after attempt {} failed: {}", event.getAttemptCount(),
                        String.valueOf(event.getLastException())))
                .build();
        this.retry = Failsafe.with(policy).with(resends);
        this.sent = Counter.builder("minimq.agent.samples.sent")
                .description("Records the broker has acknowledged").register(registry);
        this.dropped = Counter.builder("minimq.agent.samples.dropped")
                .description("Records dropped: buffer full (oldest first) or refused by the broker").register(registry);
        this.sendFailures = Counter.builder("minimq.agent.send.failures")
                .description("Produce requests that failed (each attempt)").register(registry);
        Gauge.builder("minimq.agent.buffered.samples", buffer, OutboundBuffer::size)
                .description("Records waiting for the broker or in flight").register(registry);
    }

    /** The idempotent producer id of this agent process. */
    public String producerId() {
        return producerId;
    }

    /** Queues a record for {@code topic} and sends it as soon as the topic's previous batch is through. */
    public void publish(String topic, String key, Object value) {
        int overflow = buffer.add(topic, key, value);
        if (overflow > 0) {
            dropped.increment(overflow);
            if (!overflowing) {
                overflowing = true;
                log.warn("Buffer full ({} records): dropping the oldest samples until the broker takes records again",
                        properties.bufferCapacity());
            }
            log.debug("Dropped the {} oldest records", overflow);
        }
        drain(topic);
    }

    /** Records held for the broker, waiting or in flight. */
    public int buffered() {
        return buffer.size();
    }

    /**
     * On shutdown: gives the records still buffered up to {@code drainTimeout} to reach the broker
     * when it is answering, then stops resending; what is left is lost with the process.
     */
    public void close(Duration drainTimeout) {
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        while (buffer.size() > 0 && status.failingFor().isZero() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        stopped = true;
        resends.shutdown();
        if (buffer.size() > 0) {
            log.info("Stopping with {} records not delivered", buffer.size());
        }
    }

    private void drain(String topic) {
        if (stopped) {
            return;
        }
        Batch batch = buffer.nextBatch(topic, properties.maxBatch());
        if (batch != null) {
            retry.getStageAsync(() -> send(batch)).whenComplete((ok, error) -> {
                if (error == null) {
                    acknowledged(batch);
                } else {
                    refused(batch, unwrap(error));
                }
            });
        }
    }

    /** One attempt: the batch's request, completing normally only on a 2xx answer. */
    private CompletableFuture<Void> send(Batch batch) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        brokerUrl.resolve("/v1/topics/" + batch.topic() + "/records"))
                .timeout(responseTimeout)
                .header("Content-Type", "application/json")
                .header(ApiHeaders.PRODUCER_ID, producerId)
                .header(ApiHeaders.PRODUCER_SEQ, Long.toString(batch.seq()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(batch.body()));
        if (properties.hasToken()) {
            request.header("Authorization", "Bearer " + properties.token());
        }
        CompletableFuture<Void> attempt = new CompletableFuture<>();
        client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
            Throwable failure = error != null ? unwrap(error) : checkStatus(response);
            if (failure == null) {
                attempt.complete(null);
            } else {
                attemptFailed(failure);
                attempt.completeExceptionally(failure);
            }
        });
        return attempt;
    }

    /** Nothing for a 2xx answer, else the broker's rejection with the title of its problem+json body. */
    private BrokerRejection checkStatus(HttpResponse<String> response) {
        int code = response.statusCode();
        return code >= 200 && code < 300 ? null : new BrokerRejection(code, problemTitle(response.body()));
    }

    private void acknowledged(Batch batch) {
        buffer.acknowledged(batch);
        sent.increment(batch.size());
        overflowing = false;
        Duration failedFor = status.delivered();
        if (failedFor != null) {
            log.info("Delivering to the broker at {} again after {} s of failures; {} records buffered",
                    properties.brokerUrl(), failedFor.toSeconds(), buffer.size());
        }
        drain(batch.topic());
    }

    private void refused(Batch batch, Throwable error) {
        if (stopped) {
            return;
        }
        dropped.increment(buffer.discard(batch));
        log.warn("The broker refused {} records for {} ({}); dropped them", batch.size(), batch.topic(), error.getMessage());
        drain(batch.topic());
    }

    private void attemptFailed(Throwable error) {
        sendFailures.increment();
        boolean authentication = error instanceof BrokerRejection rejection && rejection.isAuthentication();
        String reason = describe(error);
        if (status.failed(authentication ? DeliveryStatus.FailureKind.AUTHENTICATION
                : DeliveryStatus.FailureKind.UNAVAILABLE, reason)) {
            if (authentication) {
                log.error("The broker at {} refused the agent's token ({}): set minimq.agent.token to a token with "
                        + "the produce role; buffering and retrying", properties.brokerUrl(), reason);
            } else {
                log.warn("Cannot deliver to the broker at {} ({}); buffering up to {} records and retrying with backoff",
                        properties.brokerUrl(), reason, properties.bufferCapacity());
            }
        }
    }

    private boolean retryable(Throwable error) {
        return !stopped && !(error instanceof BrokerRejection rejection && !rejection.isRetryable());
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private static String describe(Throwable error) {
        String message = error.getMessage();
        Throwable cause = error.getCause();
        if ((message == null || message.isBlank()) && cause != null) {
            message = cause.getMessage();
        }
        return error instanceof BrokerRejection ? message : error.getClass().getSimpleName() + ": " + message;
    }

    /** The {@code title} (and {@code detail}) of a problem+json answer, or nothing. */
    private String problemTitle(String body) {
        try {
            JsonNode problem = mapper.readTree(body);
            String title = problem.path("title").asString("");
            String detail = problem.path("detail").asString("");
            return detail.isEmpty() ? title : title + ": " + detail;
        } catch (RuntimeException notJson) { // also an empty body
            return "";
        }
    }
}
