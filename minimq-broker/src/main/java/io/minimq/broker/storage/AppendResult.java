package io.minimq.broker.storage;

/**
 * Where a batch landed: offsets {@code baseOffset} to {@code baseOffset + count - 1}.
 * {@code duplicate} is true when an idempotent retry was recognised and nothing new was
 * appended (the offsets are the original ones).
 */
public record AppendResult(long baseOffset, int count, boolean duplicate) {

    public long lastOffset() {
        return baseOffset + count - 1;
    }
}
