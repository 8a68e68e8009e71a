package io.minimq.broker.api;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.minimq.broker.storage.Storage;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The fetches waiting for data. Waiting itself is {@link Storage#awaitData}'s job (no thread is
 * held); this class only remembers who waits, so that a shutdown answers them at once (with
 * what is there) instead of keeping the graceful shutdown waiting up to 30 s. It stops first
 * (highest phase), before the web server starts draining requests. Their number is the gauge
 * {@code minimq_long_polls_waiting}. Thread-safe.
 */
@Component
class LongPolls implements SmartLifecycle {

    private final Storage storage;
    private final Set<CompletableFuture<Boolean>> waiting = ConcurrentHashMap.newKeySet();
    private volatile boolean running;

    LongPolls(Storage storage, MeterRegistry registry) {
        this.storage = storage;
        Gauge.builder("minimq.long.polls.waiting", waiting, Set::size)
                .description("Fetches waiting for records (long polls)")
                .register(registry);
    }

    /** Completes when a record at {@code offset} exists (true), the wait ends or the broker stops (false). */
    CompletableFuture<Boolean> await(String topic, long offset, Duration maxWait) {
        CompletableFuture<Boolean> data = storage.awaitData(topic, offset, maxWait);
        if (data.isDone() || !running) {
            return data;
        }
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        waiting.add(answer);
        data.whenComplete((ready, error) -> {
            waiting.remove(answer);
            if (error != null) {
                answer.completeExceptionally(error);
            } else {
                answer.complete(ready);
            }
        });
        return answer;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        for (CompletableFuture<Boolean> answer : waiting) {
            answer.complete(false);
        }
        waiting.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
