package io.minimq.broker.api;

import io.minimq.broker.BrokerProperties;
import io.minimq.broker.storage.NewRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Turns produce bodies into {@link NewRecord}s with Jackson's streaming parser: each record's
 * {@code value} is copied as raw JSON bytes straight from the body (see {@link RawJson}), so a
 * produce costs one pass over the bytes and one array copy per value, with no tree in between.
 *
 * <p>Checks the limits of HTTP-API.md as it goes: 1 to {@code max-records-per-request}
 * records, values up to {@code max-record-bytes}, keys up to 1 KiB, at most 32 string headers.
 * Unknown members are skipped, so clients may send more than the contract names.
 * Thread-safe (stateless apart from the immutable factory).
 */
@Component
public class ProduceRequestParser {

    static final int MAX_KEY_BYTES = 1024;
    static final int MAX_HEADERS = 32;

    private final JsonFactory json = JsonFactory.builder().build();
    private final int maxRecords;
    private final int maxRecordBytes;

    public ProduceRequestParser(BrokerProperties properties) {
        this.maxRecords = properties.maxRecordsPerRequest();
        this.maxRecordBytes = properties.maxRecordBytesInt();
    }

    /**
     * Parses {@code {"records": [{"key", "value", "headers"}, ...]}}: first with the
     * {@link FastProduceScanner fast path}, and with Jackson when that one gives up (an unusual
     * or a bad body; Jackson words the error).
     */
    public List<NewRecord> parseRecords(byte[] body) {
        List<NewRecord> records = FastProduceScanner.scan(body, maxRecords, maxRecordBytes);
        return records != null ? records : parseRecordsWithJackson(body);
    }

    /** The reference parse: what {@link FastProduceScanner} is held to. */
    List<NewRecord> parseRecordsWithJackson(byte[] body) {
        try (JsonParser parser = json.createParser(ObjectReadContext.empty(), body)) {
            expect(parser, parser.nextToken(), JsonToken.START_OBJECT, "the body must be a JSON object");
            List<NewRecord> records = null;
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                if (name.equals("records")) {
                    records = parseRecordArray(parser, body);
                } else {
                    RawJson.consumeValue(parser);
                }
            }
            expectEnd(parser);
            if (records == null) {
                throw shape("the body has no \"records\" array");
            }
            return records;
        } catch (JacksonException e) {
            throw malformed(e);
        }
    }

    /** Parses the prototype's {@code {"topic": "t", "message": "text"}}. */
    public SeedMessage parseSeedMessage(byte[] body) {
        try (JsonParser parser = json.createParser(ObjectReadContext.empty(), body)) {
            expect(parser, parser.nextToken(), JsonToken.START_OBJECT, "the body must be a JSON object");
            String topic = null;
            byte[] message = null;
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals("topic")) {
                    expect(parser, value, JsonToken.VALUE_STRING, "\"topic\" must be a string");
                    topic = parser.getString();
                } else if (name.equals("message")) {
                    expect(parser, value, JsonToken.VALUE_STRING, "\"message\" must be a string");
                    message = checkValueSize(RawJson.copyValue(parser, body), 0);
                } else {
                    RawJson.consumeValue(parser);
                }
            }
            expectEnd(parser);
            if (topic == null || message == null) {
                throw shape("the body needs a string \"topic\" and a string \"message\"");
            }
            return new SeedMessage(topic, new NewRecord(null, null, message));
        } catch (JacksonException e) {
            throw malformed(e);
        }
    }

    /** A prototype produce: the topic and the record holding the message as a JSON string. */
    public record SeedMessage(String topic, NewRecord record) {
    }

    private List<NewRecord> parseRecordArray(JsonParser parser, byte[] body) {
        expect(parser, parser.currentToken(), JsonToken.START_ARRAY, "\"records\" must be an array");
        List<NewRecord> records = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (records.size() == maxRecords) {
                throw ApiException.tooLarge("Too many records",
                        "a request may hold at most " + maxRecords + " records (minimq.broker.max-records-per-request)");
            }
            records.add(parseRecord(parser, body, records.size()));
        }
        if (records.isEmpty()) {
            throw shape("\"records\" must hold at least one record");
        }
        return records;
    }

    private NewRecord parseRecord(JsonParser parser, byte[] body, int index) {
        // messages naming the record are built only on failure: this runs once per record
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw shape("records[" + index + "] must be an object");
        }
        String key = null;
        Map<String, String> headers = null;
        byte[] value = null;
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = parser.currentName();
            JsonToken token = parser.nextToken();
            switch (name) {
                case "value" -> value = checkValueSize(RawJson.copyValue(parser, body), index);
                case "key" -> key = parseKey(parser, token, index);
                case "headers" -> headers = parseHeaders(parser, token, index);
                default -> RawJson.consumeValue(parser);
            }
        }
        if (value == null) {
            throw shape("records[" + index + "] has no \"value\" (send null explicitly for an empty value)");
        }
        return new NewRecord(key, headers, value);
    }

    private static String parseKey(JsonParser parser, JsonToken token, int index) {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_STRING) {
            throw shape("records[" + index + "].key must be a string or null");
        }
        String key = parser.getString();
        // a UTF-16 char takes at most 3 UTF-8 bytes: only long keys need their bytes counted
        if (key.length() > MAX_KEY_BYTES / 3 && key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw shape("records[" + index + "].key is longer than " + MAX_KEY_BYTES + " bytes");
        }
        return key;
    }

    private static Map<String, String> parseHeaders(JsonParser parser, JsonToken token, int index) {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        String where = "records[" + index + "].headers";
        expect(parser, token, JsonToken.START_OBJECT, where + " must be an object of strings");
        Map<String, String> headers = new HashMap<>();
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = parser.currentName();
            expect(parser, parser.nextToken(), JsonToken.VALUE_STRING, where + "." + name + " must be a string");
            headers.put(name, parser.getString());
            if (headers.size() > MAX_HEADERS) {
                throw shape(where + " has more than " + MAX_HEADERS + " entries");
            }
        }
        return headers;
    }

    private byte[] checkValueSize(byte[] value, int index) {
        if (value.length > maxRecordBytes) {
            throw ApiException.tooLarge("Record too large", "records[" + index + "].value is " + value.length
                    + " bytes, over minimq.broker.max-record-bytes (" + maxRecordBytes + ")");
        }
        return value;
    }

    private static void expect(JsonParser parser, JsonToken actual, JsonToken expected, String message) {
        if (actual != expected) {
            throw shape(message);
        }
    }

    private static void expectEnd(JsonParser parser) {
        if (parser.nextToken() != null) {
            throw ApiException.malformedJson("unexpected content after the JSON object");
        }
    }

    private static ApiException shape(String detail) {
        return ApiException.badRequest("Invalid request body", detail);
    }

    private static ApiException malformed(JacksonException e) {
        return ApiException.malformedJson(e.getOriginalMessage());
    }
}
