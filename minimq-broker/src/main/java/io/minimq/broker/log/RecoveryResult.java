package io.minimq.broker.log;

/**
 * What loading one topic cost and found.
 *
 * @param bytesScanned    log bytes read and CRC-checked (only the tail after the last checkpoint)
 * @param bytesTruncated  bytes dropped from the tail: a torn or corrupt record, an unfinished batch, garbage
 * @param recordsDropped  complete, valid records dropped because their batch was unfinished
 * @param segments        segments of the topic after loading
 */
public record RecoveryResult(long bytesScanned, long bytesTruncated, int recordsDropped, int segments) {

    public boolean truncated() {
        return bytesTruncated > 0;
    }
}
