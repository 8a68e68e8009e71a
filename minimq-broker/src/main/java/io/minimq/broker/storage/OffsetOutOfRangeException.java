package io.minimq.broker.storage;

/** A read below the start or past the end offset of a topic (HTTP 416). */
public class OffsetOutOfRangeException extends StorageException {

    private static final long serialVersionUID = 1L;

    private final long startOffset;
    private final long endOffset;

    public OffsetOutOfRangeException(String topic, long offset, long startOffset, long endOffset) {
        super("offset " + offset + " of topic '" + topic + "' is outside [" + startOffset + ", " + endOffset + "]");
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
