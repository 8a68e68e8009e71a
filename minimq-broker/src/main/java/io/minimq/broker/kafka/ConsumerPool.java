package io.minimq.broker.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * A fixed set of Kafka consumers shared by all fetch requests of a replica, so that a request
 * never creates a consumer of its own. A Kafka consumer is not thread-safe: each is lent to one
 * caller at a time.
 *
 * <p>Thread-safe.
 */
final class ConsumerPool implements AutoCloseable {

    private final BlockingQueue<KafkaConsumer<byte[], byte[]>> idle;
    private final List<KafkaConsumer<byte[], byte[]>> all = new ArrayList<>();
    private final Duration borrowTimeout;

    ConsumerPool(KafkaClients clients, int size, Duration borrowTimeout) {
        this.idle = new ArrayBlockingQueue<>(size);
        this.borrowTimeout = borrowTimeout;
        for (int i = 0; i < size; i++) {
            KafkaConsumer<byte[], byte[]> consumer = clients.consumer("fetch");
            all.add(consumer);
            idle.add(consumer);
        }
    }

    /** Runs {@code work} with a consumer of the pool, waiting at most the borrow timeout for one. */
    <T> T withConsumer(Function<KafkaConsumer<byte[], byte[]>, T> work) {
        KafkaConsumer<byte[], byte[]> consumer;
        try {
            consumer = idle.poll(borrowTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimeoutException("interrupted while waiting for a Kafka consumer");
        }
        if (consumer == null) {
            throw new TimeoutException("no Kafka consumer free within " + borrowTimeout);
        }
        try {
            return work.apply(consumer);
        } finally {
            consumer.unsubscribe();
            idle.add(consumer);
        }
    }

    @Override
    public void close() {
        all.forEach(c -> c.close(Duration.ofSeconds(2)));
    }
}
