package io.minimq.broker.api;

import io.minimq.broker.storage.AppendResult;
import io.minimq.broker.storage.ReadResult;
import io.minimq.broker.storage.StoredRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.json.JsonFactory;

/**
 * Writes the answers of the hot paths with Jackson's streaming generator: a fetch writes each
 * stored value's bytes raw into the output (they were checked when they were produced), so
 * no value is ever parsed again or turned into objects. Thread-safe.
 */
@Component
public class ResponseWriter {

    private static final SerializedString TOPIC = new SerializedString("topic");
    private static final SerializedString OFFSETS = new SerializedString("offsets");
    private static final SerializedString RECORDS = new SerializedString("records");
    private static final SerializedString OFFSET = new SerializedString("offset");
    private static final SerializedString TIMESTAMP = new SerializedString("timestamp");
    private static final SerializedString KEY = new SerializedString("key");
    private static final SerializedString HEADERS = new SerializedString("headers");
    private static final SerializedString VALUE = new SerializedString("value");
    private static final SerializedString NEXT_OFFSET = new SerializedString("nextOffset");
    private static final SerializedString START_OFFSET = new SerializedString("startOffset");
    private static final SerializedString END_OFFSET = new SerializedString("endOffset");

    private final JsonFactory json = JsonFactory.builder().build();

    /** {@code {"topic": "t", "offsets": [41, 42]}}. */
    public byte[] produced(String topic, AppendResult result) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 + topic.length() + 12 * result.count());
        try (JsonGenerator gen = json.createGenerator(ObjectWriteContext.empty(), out)) {
            gen.writeStartObject();
            gen.writeName(TOPIC);
            gen.writeString(topic);
            gen.writeName(OFFSETS);
            gen.writeStartArray();
            for (long offset = result.baseOffset(); offset <= result.lastOffset(); offset++) {
                gen.writeNumber(offset);
            }
            gen.writeEndArray();
            gen.writeEndObject();
        }
        return out.toByteArray();
    }

    /** {@code {"topic", "records": [...], "nextOffset", "startOffset", "endOffset"}}. */
    public byte[] fetched(String topic, ReadResult result) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(estimate(result));
        writeFetched(topic, result, out);
        return out.toByteArray();
    }

    void writeFetched(String topic, ReadResult result, OutputStream out) {
        try (JsonGenerator gen = json.createGenerator(ObjectWriteContext.empty(), out)) {
            gen.writeStartObject();
            gen.writeName(TOPIC);
            gen.writeString(topic);
            gen.writeName(RECORDS);
            gen.writeStartArray();
            for (StoredRecord record : result.records()) {
                writeRecord(gen, record);
            }
            gen.writeEndArray();
            gen.writeName(NEXT_OFFSET);
            gen.writeNumber(result.nextOffset());
            gen.writeName(START_OFFSET);
            gen.writeNumber(result.startOffset());
            gen.writeName(END_OFFSET);
            gen.writeNumber(result.endOffset());
            gen.writeEndObject();
        }
    }

    private static void writeRecord(JsonGenerator gen, StoredRecord record) {
        gen.writeStartObject();
        gen.writeName(OFFSET);
        gen.writeNumber(record.offset());
        gen.writeName(TIMESTAMP);
        gen.writeNumber(record.timestamp());
        gen.writeName(KEY);
        if (record.key() == null) {
            gen.writeNull();
        } else {
            gen.writeString(record.key());
        }
        gen.writeName(HEADERS);
        gen.writeStartObject();
        for (Map.Entry<String, String> header : record.headers().entrySet()) {
            gen.writeName(header.getKey());
            gen.writeString(header.getValue());
        }
        gen.writeEndObject();
        gen.writeName(VALUE);
        gen.writeRawValue(new RawUtf8(record.value()));
        gen.writeEndObject();
    }

    private static int estimate(ReadResult result) {
        long size = 96;
        for (StoredRecord record : result.records()) {
            size += 80 + record.value().length;
        }
        return (int) Math.min(size, 16 * 1024 * 1024);
    }

    /**
     * Stored JSON bytes handed to the generator as they are. Only the unquoted UTF-8 methods
     * are used by {@link JsonGenerator#writeRawValue(SerializableString)} on a byte output.
     */
    private record RawUtf8(byte[] bytes) implements SerializableString {

        @Override
        public int appendUnquotedUTF8(byte[] buffer, int offset) {
            if (offset + bytes.length > buffer.length) {
                return -1;
            }
            System.arraycopy(bytes, 0, buffer, offset, bytes.length);
            return bytes.length;
        }

        @Override
        public byte[] asUnquotedUTF8() {
            return bytes;
        }

        @Override
        public int writeUnquotedUTF8(OutputStream out) throws IOException {
            out.write(bytes);
            return bytes.length;
        }

        @Override
        public int putUnquotedUTF8(ByteBuffer buffer) {
            if (bytes.length > buffer.remaining()) {
                return -1;
            }
            buffer.put(bytes);
            return bytes.length;
        }

        @Override
        public String getValue() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public int charLength() {
            return getValue().length();
        }

        @Override
        public char[] asQuotedChars() {
            throw new UnsupportedOperationException("raw JSON is never quoted");
        }

        @Override
        public byte[] asQuotedUTF8() {
            throw new UnsupportedOperationException("raw JSON is never quoted");
        }

        @Override
        public int appendQuotedUTF8(byte[] buffer, int offset) {
            throw new UnsupportedOperationException("raw JSON is never quoted");
        }

        @Override
        public int appendQuoted(char[] buffer, int offset) {
            throw new UnsupportedOperationException("raw JSON is never quoted");
        }

        @Override
        public int appendUnquoted(char[] buffer, int offset) {
            String value = getValue();
            if (offset + value.length() > buffer.length) {
                return -1;
            }
            value.getChars(0, value.length(), buffer, offset);
            return value.length();
        }

        @Override
        public int writeQuotedUTF8(OutputStream out) {
            throw new UnsupportedOperationException("raw JSON is never quoted");
        }

        @Override
        public int putQuotedUTF8(ByteBuffer buffer) {
            throw new UnsupportedOperationException("raw JSON is never quoted");
        }
    }
}
