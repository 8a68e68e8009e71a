package io.minimq.broker.log;

import java.util.HashMap;
import java.util.Map;

/**
 * The idempotent producers of one topic: per producer id, the last sequence appended and where
 * its batch landed, so that a retry of that batch gets its original offsets back.
 *
 * <p>Not thread-safe: guarded by the owning {@link Log}'s append lock.
 */
final class ProducerState {

    /** The last batch of one producer: its sequence and offsets. */
    record Entry(long seq, long baseOffset, int count) {
    }

    private final Map<String, Entry> entries;

    ProducerState(Map<String, Entry> entries) {
        this.entries = new HashMap<>(entries);
    }

    Entry get(String producerId) {
        return entries.get(producerId);
    }

    /**
     * Records a batch. Idempotent and order-tolerant, because recovery replays batches that a
     * checkpoint may already hold: an older sequence never replaces a newer one.
     */
    void update(String producerId, long seq, long baseOffset, int count) {
        Entry current = entries.get(producerId);
        if (current == null || seq >= current.seq()) {
            entries.put(producerId, new Entry(seq, baseOffset, count));
        }
    }

    Map<String, Entry> snapshot() {
        return Map.copyOf(entries);
    }
}
