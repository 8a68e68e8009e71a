package io.minimq.dashboard.stream;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.buffer.DataBuffer;

/**
 * One stream's {@link StreamPosition}, kept as an array and written straight into the outgoing
 * buffer as the event's {@code id:} line: no map, no string, no boxing per event. The bytes are
 * exactly those of {@code "id:" + StreamPosition.format(positions) + "\n"}. Used by one stream,
 * one event at a time.
 */
final class EventIds {

    private static final byte[] ID = "id:".getBytes(StandardCharsets.US_ASCII);

    private final String[] topics;
    /** {@code topic:} for the first topic, {@code ,topic:} for the others, in UTF-8. */
    private final byte[][] prefixes;
    private final long[] offsets;
    private final byte[] digits = new byte[20];
    private final int maxLength;

    /** Positions in {@code positions}' order: the offset of the last record given, per topic. */
    EventIds(Map<String, Long> positions) {
        int n = positions.size();
        topics = new String[n];
        prefixes = new byte[n][];
        offsets = new long[n];
        int i = 0;
        int length = ID.length + 1;
        for (Map.Entry<String, Long> entry : positions.entrySet()) {
            topics[i] = entry.getKey();
            prefixes[i] = ((i == 0 ? "" : ",") + entry.getKey() + ":").getBytes(StandardCharsets.UTF_8);
            offsets[i] = entry.getValue();
            length += prefixes[i].length + digits.length;
            i++;
        }
        maxLength = length;
    }

    /** Records that the client has been given (or skipped past) {@code offset} of {@code topic}. */
    void set(String topic, long offset) {
        for (int i = 0; i < topics.length; i++) {
            if (topics[i].equals(topic)) {
                offsets[i] = offset;
                return;
            }
        }
        throw new IllegalArgumentException("topic '" + topic + "' is not in this stream " + List.of(topics));
    }

    /** The most bytes {@link #writeTo} writes. */
    int maxLength() {
        return maxLength;
    }

    /** Writes {@code id:<topic>:<offset>,...\n}. */
    void writeTo(DataBuffer buffer) {
        buffer.write(ID);
        for (int i = 0; i < topics.length; i++) {
            buffer.write(prefixes[i]);
            writeDecimal(buffer, offsets[i]);
        }
        buffer.write((byte) '\n');
    }

    private void writeDecimal(DataBuffer buffer, long value) {
        if (value < 0) { // -1: nothing given yet of a topic that starts at offset 0
            buffer.write((byte) '-');
            value = -value;
        }
        int at = digits.length;
        do {
            digits[--at] = (byte) ('0' + value % 10);
            value /= 10;
        } while (value > 0);
        buffer.write(digits, at, digits.length - at);
    }
}
