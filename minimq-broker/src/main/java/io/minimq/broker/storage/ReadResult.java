package io.minimq.broker.storage;

import java.util.List;

/**
 * Records read from a topic, in offset order without gaps, with the offset to read next and the
 * topic's bounds at the time of the read ({@code startOffset} = first offset still stored,
 * {@code endOffset} = offset of the next append).
 */
public record ReadResult(List<StoredRecord> records, long nextOffset, long startOffset, long endOffset) {
}
