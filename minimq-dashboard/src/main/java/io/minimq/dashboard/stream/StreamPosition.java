package io.minimq.dashboard.stream;

import io.minimq.common.TopicNames;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SSE {@code id:} of a multi-topic stream: for every topic, the offset of the last record
 * the client has been given (or skipped past), e.g. {@code metrics.cpu:41,metrics.mem:17}.
 * Offsets are those of records already delivered, so a reconnect starts each topic at the offset
 * after it. Topic names cannot contain {@code :} or {@code ,}, so the format is unambiguous.
 */
public final class StreamPosition {

    private StreamPosition() {
    }

    /** Parses a {@code Last-Event-ID}; an empty or absent id is an empty map. */
    public static Map<String, Long> parse(String id) {
        Map<String, Long> positions = new LinkedHashMap<>();
        if (id == null || id.isBlank()) {
            return positions;
        }
        for (String entry : id.split(",")) {
            int colon = entry.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("Last-Event-ID entry '" + entry + "' is not <topic>:<offset>");
            }
            String topic = TopicNames.validate(entry.substring(0, colon).trim());
            try {
                long offset = Long.parseLong(entry.substring(colon + 1).trim());
                if (offset < -1) {
                    throw new NumberFormatException();
                }
                positions.put(topic, offset);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Last-Event-ID entry '" + entry + "' has no valid offset");
            }
        }
        return Collections.unmodifiableMap(positions);
    }

    /** Formats positions in their map's order. */
    public static String format(Map<String, Long> positions) {
        StringBuilder id = new StringBuilder(positions.size() * 20);
        positions.forEach((topic, offset) -> {
            if (!id.isEmpty()) {
                id.append(',');
            }
            id.append(topic).append(':').append(offset);
        });
        return id.toString();
    }
}
