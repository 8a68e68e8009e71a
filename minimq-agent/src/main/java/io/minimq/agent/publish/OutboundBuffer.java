package io.minimq.agent.publish;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records the broker has not taken yet, per topic in the order they were published.
 *
 * <p>Each topic has at most one batch in flight: it is formed from the oldest waiting records,
 * gets the topic's next sequence number, and stays exactly as it is until it is acknowledged
 * (or refused for good and discarded). Records published meanwhile wait behind it, so order per
 * topic is kept and a resend never mixes old and new records.
 *
 * <p>Bounded: holding more than {@code capacity} records (waiting plus in flight) drops the
 * oldest waiting record of any topic until it fits. Records in flight are never dropped, since the
 * broker may already have appended them.
 *
 * <p>Thread-safe: every method holds the buffer's lock, briefly.
 */
final class OutboundBuffer {

    /** A record waiting to be sent; {@code order} is global publication order, for dropping the oldest. */
    record Pending(String key, Object value, long order) {
    }

    private static final class TopicQueue {
        final ArrayDeque<Pending> waiting = new ArrayDeque<>();
        Batch inFlight;
        long lastSeq;
    }

    private final int capacity;
    private final BatchEncoder encoder;
    private final Map<String, TopicQueue> topics = new LinkedHashMap<>();
    private long nextOrder;
    private int size;

    OutboundBuffer(int capacity, BatchEncoder encoder) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
        this.encoder = encoder;
    }

    /** Adds a record to its topic; returns how many records (oldest first) were dropped to make room. */
    synchronized int add(String topic, String key, Object value) {
        topics.computeIfAbsent(topic, t -> new TopicQueue()).waiting.addLast(new Pending(key, value, nextOrder++));
        size++;
        int dropped = 0;
        while (size > capacity && dropOldestWaiting()) {
            dropped++;
        }
        return dropped;
    }

    private boolean dropOldestWaiting() {
        TopicQueue oldest = null;
        for (TopicQueue queue : topics.values()) {
            Pending head = queue.waiting.peekFirst();
            if (head != null && (oldest == null || head.order() < oldest.waiting.peekFirst().order())) {
                oldest = queue;
            }
        }
        if (oldest == null) {
            return false;
        }
        oldest.waiting.removeFirst();
        size--;
        return true;
    }

    /**
     * The batch to send now on {@code topic}: null when one is already in flight or nothing waits;
     * otherwise up to {@code maxRecords} of the oldest waiting records under the next sequence
     * number, which is then in flight.
     */
    synchronized Batch nextBatch(String topic, int maxRecords) {
        TopicQueue queue = topics.get(topic);
        if (queue == null || queue.inFlight != null || queue.waiting.isEmpty()) {
            return null;
        }
        List<Pending> records = new ArrayList<>(Math.min(maxRecords, queue.waiting.size()));
        while (records.size() < maxRecords && !queue.waiting.isEmpty()) {
            records.add(queue.waiting.removeFirst());
        }
        queue.inFlight = new Batch(topic, ++queue.lastSeq, records.size(), encoder.encode(records));
        return queue.inFlight;
    }

    /** The broker took {@code batch}: its records leave the buffer. */
    synchronized void acknowledged(Batch batch) {
        release(batch);
    }

    /** The broker refused {@code batch} for good: its records leave the buffer; returns how many. */
    synchronized int discard(Batch batch) {
        release(batch);
        return batch.size();
    }

    private void release(Batch batch) {
        TopicQueue queue = topics.get(batch.topic());
        if (queue == null || queue.inFlight != batch) {
            throw new IllegalStateException("batch " + batch.seq() + " of " + batch.topic() + " is not in flight");
        }
        queue.inFlight = null;
        size -= batch.size();
    }

    /** Records held, waiting or in flight. */
    synchronized int size() {
        return size;
    }

    /** Topics that have records waiting or in flight. */
    synchronized List<String> pendingTopics() {
        return topics.entrySet().stream()
                .filter(e -> e.getValue().inFlight != null || !e.getValue().waiting.isEmpty())
                .map(Map.Entry::getKey).toList();
    }
}
