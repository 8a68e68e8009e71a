package io.minimq.broker.storage;

/** An idempotent producer sent a sequence lower than the last one seen (HTTP 409). */
public class SequenceConflictException extends StorageException {

    private static final long serialVersionUID = 1L;

    private final long lastSeq;

    public SequenceConflictException(String producerId, String topic, long seq, long lastSeq) {
        super("producer '" + producerId + "' sent sequence " + seq + " to topic '" + topic
                + "' after sequence " + lastSeq);
        this.lastSeq = lastSeq;
    }

    public long lastSeq() {
        return lastSeq;
    }
}
