package io.minimq.broker.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Long-poll support without a thread per waiting request: waiters are futures in a map; one
 * scheduler thread asks Kafka for the end offsets of the topics someone waits on (one request
 * for all of them) every poll interval and completes the futures whose record has arrived.
 * Appends made through this replica complete waiters at once through {@link #appended}.
 *
 * <p>Thread-safe.
 */
final class EndOffsetWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EndOffsetWatcher.class);

    private record Waiter(long offset, CompletableFuture<Boolean> future) {
    }

    private final Map<String, ConcurrentLinkedQueue<Waiter>> waiters = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;
    private final Function<Collection<TopicPartition>, Map<TopicPartition, Long>> endOffsets;

    /** @param endOffsets asks Kafka for the (last stable) end offsets of partitions, in one request */
    EndOffsetWatcher(Function<Collection<TopicPartition>, Map<TopicPartition, Long>> endOffsets,
            Duration pollInterval) {
        this.endOffsets = endOffsets;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "minimq-kafka-long-poll");
            t.setDaemon(true);
            return t;
        });
        long millis = Math.max(1, pollInterval.toMillis());
        scheduler.scheduleWithFixedDelay(this::poll, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** A future completing with true once {@code offset} is below the end offset, or false after {@code timeout}. */
    CompletableFuture<Boolean> await(String topic, long offset, Duration timeout) {
        CompletableFuture<Boolean> future = new CompletableFuture<>();
        Waiter waiter = new Waiter(offset, future);
        ConcurrentLinkedQueue<Waiter> queue = waiters.computeIfAbsent(topic, t -> new ConcurrentLinkedQueue<>());
        queue.add(waiter);
        scheduler.schedule(() -> {
            future.complete(false);
            queue.remove(waiter);
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        return future;
    }

    /** Wakes the waiters of a topic whose records are now below {@code endOffset}. */
    void appended(String topic, long endOffset) {
        ConcurrentLinkedQueue<Waiter> queue = waiters.get(topic);
        if (queue != null) {
            queue.removeIf(w -> w.future().isDone() || (w.offset() < endOffset && w.future().complete(true)));
        }
    }

    private void poll() {
        Set<String> topics = waiters.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        if (topics.isEmpty()) {
            return;
        }
        List<TopicPartition> partitions = new ArrayList<>();
        topics.forEach(t -> partitions.add(new TopicPartition(t, 0)));
        try {
            endOffsets.apply(partitions).forEach((tp, end) -> appended(tp.topic(), end));
        } catch (RuntimeException e) {
            log.debug("End offsets for long polls failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        waiters.values().forEach(q -> q.forEach(w -> w.future().complete(false)));
    }
}
