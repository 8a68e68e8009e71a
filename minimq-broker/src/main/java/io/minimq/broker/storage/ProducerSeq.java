package io.minimq.broker.storage;

/** An idempotent producer's identity and the sequence number of one produce request. */
public record ProducerSeq(String producerId, long seq) {

    public ProducerSeq {
        if (producerId == null || producerId.isEmpty()) {
            throw new IllegalArgumentException("producerId must not be empty");
        }
    }
}
