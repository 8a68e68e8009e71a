package io.minimq.broker.storage;

import java.util.Map;

/**
 * A record to append. {@code value} is the UTF-8 bytes of one JSON value, already validated by
 * the HTTP layer; {@code key} and {@code headers} may be null.
 */
public record NewRecord(String key, Map<String, String> headers, byte[] value) {

    public NewRecord {
        if (value == null) {
            throw new IllegalArgumentException("value must not be null (use the JSON text null)");
        }
        headers = headers == null || headers.isEmpty() ? Map.of() : Map.copyOf(headers);
    }
}
