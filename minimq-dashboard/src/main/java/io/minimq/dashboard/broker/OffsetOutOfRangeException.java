package io.minimq.dashboard.broker;

/** A fetch asked for an offset outside {@code [startOffset, endOffset]} (416). */
public final class OffsetOutOfRangeException extends BrokerException {

    private final long startOffset;
    private final long endOffset;

    public OffsetOutOfRangeException(String topic, long offset, long startOffset, long endOffset) {
        super(416, "offset " + offset + " of topic '" + topic + "' is outside [" + startOffset + ", " + endOffset + "]");
        this.startOffset = startOffset;
        this.endOffset = endOffset;
    }

    public long startOffset() {
        return startOffset;
    }

    public long endOffset() {
        return endOffset;
    }
}
