package io.minimq.broker.storage;

import java.util.Map;

/**
 * A record read back: its offset, the broker's append timestamp (epoch ms), key (may be null),
 * headers (never null) and the UTF-8 bytes of its JSON value.
 */
public record StoredRecord(long offset, long timestamp, String key, Map<String, String> headers, byte[] value) {

    public StoredRecord {
        headers = headers == null ? Map.of() : headers;
    }
}
