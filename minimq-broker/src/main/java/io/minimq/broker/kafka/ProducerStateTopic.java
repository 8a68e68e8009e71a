package io.minimq.broker.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The idempotent producers' last sequences, shared by every broker replica through the
 * compacted internal topic {@value #NAME}: key {@code <topic>/<producer id>}, value
 * {@code <seq>,<baseOffset>,<count>}. One background thread follows the topic (read-committed)
 * into a map; {@link #catchUp} waits until the map holds everything committed so far.
 *
 * <p>Thread-safe.
 */
final class ProducerStateTopic implements AutoCloseable {

    static final String NAME = "__minimq_producer_state";
    private static final Logger log = LoggerFactory.getLogger(ProducerStateTopic.class);
    private static final TopicPartition PARTITION = new TopicPartition(NAME, 0);

    /** The last append of one producer on one topic. */
    record State(long seq, long baseOffset, int count) {
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Function<Collection<TopicPartition>, Map<TopicPartition, Long>> highWatermarks;
    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final Thread follower;
    private final Object progress = new Object();
    private volatile long position;
    private volatile boolean running = true;

    /**
     * @param highWatermarks asks Kafka for read-uncommitted end offsets: the high watermark, not
     *        the last stable offset, because a transaction committed by another replica may still
     *        lack its commit marker; the read-committed follower reaches the high watermark only
     *        once every transaction before it is complete
     */
    ProducerStateTopic(KafkaClients clients, Function<Collection<TopicPartition>, Map<TopicPartition, Long>> highWatermarks) {
        this.consumer = clients.consumer("producer-state");
        this.highWatermarks = highWatermarks;
        this.follower = new Thread(this::follow, "minimq-kafka-producer-state");
        this.follower.setDaemon(true);
    }

    void start() {
        consumer.assign(List.of(PARTITION));
        consumer.seekToBeginning(List.of(PARTITION));
        follower.start();
    }

    static ProducerRecord<byte[], byte[]> record(String topic, String producerId, State state) {
        return new ProducerRecord<>(NAME, 0, key(topic, producerId),
                (state.seq() + "," + state.baseOffset() + "," + state.count()).getBytes(StandardCharsets.US_ASCII));
    }

    /** The last committed state of a producer on a topic, as far as this replica has read. */
    State get(String topic, String producerId) {
        return states.get(new String(key(topic, producerId), StandardCharsets.UTF_8));
    }

    /** Records a state this replica has just committed itself. */
    void put(String topic, String producerId, State state) {
        states.merge(new String(key(topic, producerId), StandardCharsets.UTF_8), state,
                (old, now) -> now.seq() >= old.seq() ? now : old);
    }

    /**
     * Forgets every producer state of a deleted topic and returns the tombstones that remove
     * them from the state topic too, so that a topic created again under the same name starts
     * with fresh sequences on every replica.
     */
    List<ProducerRecord<byte[], byte[]>> forgetTopic(String topic) {
        List<ProducerRecord<byte[], byte[]>> tombstones = new java.util.ArrayList<>();
        states.keySet().removeIf(k -> {
            boolean match = k.startsWith(topic + "/");
            if (match) {
                tombstones.add(new ProducerRecord<>(NAME, 0, k.getBytes(StandardCharsets.UTF_8), null));
            }
            return match;
        });
        return tombstones;
    }

    /**
     * Waits until every state committed before this call has been read. An open transaction of
     * another producer on the state topic delays this until it completes (or times out and is aborted).
     */
    void catchUp(Duration timeout) throws TimeoutException {
        long end;
        try {
            end = highWatermarks.apply(List.of(PARTITION)).getOrDefault(PARTITION, 0L);
        } catch (RuntimeException e) {
            throw new TimeoutException("end of the producer state unknown: " + e.getMessage());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (position < end) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("producer state not read up to offset " + end + " (at " + position + ")");
                }
                try {
                    progress.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TimeoutException("interrupted");
                }
            }
        }
    }

    private void follow() {
        while (running) {
            try {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    apply(record);
                }
                long now = consumer.position(PARTITION);
                synchronized (progress) {
                    position = now;
                    progress.notifyAll();
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (running) {
                    log.debug("Following {} failed, retrying: {}", NAME, e.toString());
                    sleep();
                }
            }
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        String key = new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
            states.remove(key);
            return;
        }
        String[] parts = new String(record.value(), StandardCharsets.US_ASCII).split(",");
        try {
            states.put(key, new State(Long.parseLong(parts[0]), Long.parseLong(parts[1]), Integer.parseInt(parts[2])));
        } catch (RuntimeException e) {
            log.warn("Ignoring a malformed producer state at offset {} of {}", record.offset(), NAME);
        }
    }

    private static byte[] key(String topic, String producerId) {
        return (topic + "/" + producerId).getBytes(StandardCharsets.UTF_8);
    }

    private static void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            follower.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(Duration.ofSeconds(2));
    }
}
