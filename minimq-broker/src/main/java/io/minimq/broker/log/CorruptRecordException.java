package io.minimq.broker.log;

import io.minimq.broker.storage.StorageException;

/**
 * Bytes in a segment that are not a valid record: a CRC mismatch, an impossible length, an
 * unexpected offset. Recovery truncates at the first one; a read that meets one (a byte flipped
 * on disk after it was checked) fails rather than serve it. Messages name the segment file,
 * never its path.
 */
public class CorruptRecordException extends StorageException {

    private static final long serialVersionUID = 1L;

    public CorruptRecordException(String message) {
        super(message);
    }
}
