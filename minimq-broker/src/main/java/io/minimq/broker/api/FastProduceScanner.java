package io.minimq.broker.api;

import io.minimq.broker.storage.NewRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The produce fast path: one pass over the bytes of a produce body that validates it and cuts
 * the values out, for the common case only. It accepts nothing that {@link ProduceRequestParser}'s
 * Jackson path would refuse, and gives the same records for what it accepts; for anything else
 * (non-ASCII or escapes in names, keys or headers, bad UTF-8, nesting deeper than
 * {@value #MAX_DEPTH}, over a limit, or any error) it gives up and returns {@code null}, and the
 * Jackson path parses the body again, so every answer and error message stays Jackson's.
 *
 * <p>Why it exists: on the 100-records-per-request benchmark, Jackson's tokenizer spent 44% of
 * the broker's CPU walking each value token by token (names go through its symbol table,
 * numbers into a text buffer) only to find where the value ends. This scanner checks the same
 * grammar (RFC 8259, Jackson's defaults: no comments, no leading zeros, no trailing commas,
 * no NaN) without building anything. {@code FastProduceScannerTests} holds it to Jackson on
 * thousands of generated and mutated bodies.
 *
 * <p>Not thread-safe: one instance per body.
 */
final class FastProduceScanner {

    /** Deeper values take the Jackson path (which enforces its own nesting limit). */
    static final int MAX_DEPTH = 64;
    /** Longer numbers take the Jackson path (Jackson's limit is 1000 characters). */
    private static final int MAX_NUMBER_LENGTH = 100;

    private static final byte[] RECORDS = ascii("records");
    private static final byte[] KEY = ascii("key");
    private static final byte[] VALUE = ascii("value");
    private static final byte[] HEADERS = ascii("headers");

    /** Thrown to leave the fast path; carries no stack trace, so giving up is cheap. */
    private static final class GiveUp extends RuntimeException {
        GiveUp() {
            super(null, null, false, false);
        }
    }

    private static final GiveUp GIVE_UP = new GiveUp();

    private final byte[] b;
    private final int maxRecords;
    private final int maxRecordBytes;
    private int p;
    private String lastKey;
    /** Where {@link #lastKey} stands in the body, quotes included. */
    private int lastKeyStart;
    private int lastKeyEnd;

    private FastProduceScanner(byte[] body, int maxRecords, int maxRecordBytes) {
        this.b = body;
        this.maxRecords = maxRecords;
        this.maxRecordBytes = maxRecordBytes;
    }

    /** The records of a {@code {"records": [...]}} body, or null when the Jackson path must decide. */
    static List<NewRecord> scan(byte[] body, int maxRecords, int maxRecordBytes) {
        try {
            return new FastProduceScanner(body, maxRecords, maxRecordBytes).body();
        } catch (GiveUp | ArrayIndexOutOfBoundsException e) {
            // running off the end of the body is one more way for a body to be unusual
            return null;
        }
    }

    private List<NewRecord> body() {
        List<NewRecord> records = null;
        skipWhitespace();
        expect('{');
        skipWhitespace();
        if (b[p] != '}') {
            do {
                int nameStart = p;
                int nameEnd = simpleString();
                skipWhitespace();
                expect(':');
                skipWhitespace();
                if (equals(nameStart, nameEnd, RECORDS)) {
                    records = recordArray();
                } else {
                    value(0);
                }
            } while (next('}'));
        } else {
            p++;
        }
        skipWhitespace();
        if (p != b.length || records == null) {
            throw GIVE_UP;
        }
        return records;
    }

    private List<NewRecord> recordArray() {
        expect('[');
        skipWhitespace();
        if (b[p] == ']') {
            throw GIVE_UP; // an empty array is an error: Jackson's path words it
        }
        List<NewRecord> records = new ArrayList<>();
        do {
            if (records.size() == maxRecords) {
                throw GIVE_UP;
            }
            records.add(record());
        } while (next(']'));
        return records;
    }

    private NewRecord record() {
        expect('{');
        skipWhitespace();
        String key = null;
        Map<String, String> headers = null;
        byte[] value = null;
        if (b[p] == '}') {
            throw GIVE_UP;
        }
        do {
            int nameStart = p;
            int nameEnd = simpleString();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            if (equals(nameStart, nameEnd, VALUE)) {
                int start = p;
                value(0);
                if (p - start > maxRecordBytes) {
                    throw GIVE_UP;
                }
                value = Arrays.copyOfRange(b, start, p);
            } else if (equals(nameStart, nameEnd, KEY)) {
                key = nullOrString(ProduceRequestParser.MAX_KEY_BYTES);
            } else if (equals(nameStart, nameEnd, HEADERS)) {
                headers = headers();
            } else {
                value(0);
            }
        } while (next('}'));
        if (value == null) {
            throw GIVE_UP;
        }
        return new NewRecord(key, headers, value);
    }

    private Map<String, String> headers() {
        if (b[p] == 'n') {
            literal("null");
            return null;
        }
        expect('{');
        skipWhitespace();
        Map<String, String> headers = new HashMap<>();
        if (b[p] == '}') {
            p++;
            return headers;
        }
        do {
            int nameStart = p;
            int nameEnd = simpleString();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            int valueStart = p;
            int valueEnd = simpleString();
            headers.put(text(nameStart, nameEnd), text(valueStart, valueEnd));
            if (headers.size() > ProduceRequestParser.MAX_HEADERS) {
                throw GIVE_UP;
            }
        } while (next('}'));
        return headers;
    }

    private String nullOrString(int maxBytes) {
        if (b[p] == 'n') {
            literal("null");
            return null;
        }
        int start = p;
        int end = simpleString();
        if (end - start - 2 > maxBytes) {
            throw GIVE_UP;
        }
        // a batch usually repeats one key (a node's name): share its String
        if (lastKey != null && Arrays.equals(b, start, end, b, lastKeyStart, lastKeyEnd)) {
            return lastKey;
        }
        lastKeyStart = start;
        lastKeyEnd = end;
        lastKey = text(start, end);
        return lastKey;
    }

    /** Any JSON value: checked and skipped. */
    private void value(int depth) {
        switch (b[p]) {
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        }
    }

    private void object(int depth) {
        if (depth > MAX_DEPTH) {
            throw GIVE_UP;
        }
        p++;
        skipWhitespace();
        if (b[p] == '}') {
            p++;
            return;
        }
        do {
            string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            value(depth);
        } while (next('}'));
    }

    private void array(int depth) {
        if (depth > MAX_DEPTH) {
            throw GIVE_UP;
        }
        p++;
        skipWhitespace();
        if (b[p] == ']') {
            p++;
            return;
        }
        do {
            value(depth);
        } while (next(']'));
    }

    /** A string: the escapes of RFC 8259, no control characters, strict UTF-8. */
    private void string() {
        expect('"');
        byte[] b = this.b;
        while (true) {
            // the common run of plain printable ASCII, in a local (the hot loop of a produce)
            int i = p;
            byte c;
            while ((c = b[i]) >= 0x20 && c != '"' && c != '\\') {
                i++;
            }
            p = i + 1;
            if (c == '"') {
                return;
            }
            if (c == '\\') {
                escape();
            } else if (c < 0) {
                utf8Sequence(c & 0xff);
            } else {
                throw GIVE_UP;
            }
        }
    }

    /**
     * The continuation bytes of a UTF-8 sequence led by {@code lead}, checked as strictly as the
     * JDK's decoder: no overlong forms, no surrogates, nothing above U+10FFFF.
     */
    private void utf8Sequence(int lead) {
        if (lead >= 0xc2 && lead <= 0xdf) {
            continuation(0x80, 0xbf);
        } else if (lead >= 0xe0 && lead <= 0xef) {
            continuation(lead == 0xe0 ? 0xa0 : 0x80, lead == 0xed ? 0x9f : 0xbf);
            continuation(0x80, 0xbf);
        } else if (lead >= 0xf0 && lead <= 0xf4) {
            continuation(lead == 0xf0 ? 0x90 : 0x80, lead == 0xf4 ? 0x8f : 0xbf);
            continuation(0x80, 0xbf);
            continuation(0x80, 0xbf);
        } else {
            throw GIVE_UP;
        }
    }

    private void continuation(int min, int max) {
        int c = b[p++] & 0xff;
        if (c < min || c > max) {
            throw GIVE_UP;
        }
    }

    private void escape() {
        switch (b[p++]) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
            }
            case 'u' -> {
                int unit = 0;
                for (int i = 0; i < 4; i++) {
                    unit = unit << 4 | hex(b[p++]);
                }
                if (unit >= 0xd800 && unit <= 0xdfff) {
                    throw GIVE_UP; // surrogate pairs: Jackson checks them in names, so leave them all to it
                }
            }
            default -> throw GIVE_UP;
        }
    }

    private static int hex(byte h) {
        if (h >= '0' && h <= '9') {
            return h - '0';
        }
        if (h >= 'a' && h <= 'f') {
            return h - 'a' + 10;
        }
        if (h >= 'A' && h <= 'F') {
            return h - 'A' + 10;
        }
        throw GIVE_UP;
    }

    /** A string of printable ASCII without escapes (names, keys, headers); returns the end, past the quote. */
    private int simpleString() {
        expect('"');
        byte[] b = this.b;
        int i = p;
        byte c;
        while ((c = b[i]) >= 0x20 && c != '"' && c != '\\') {
            i++;
        }
        if (c != '"') {
            throw GIVE_UP;
        }
        p = i + 1;
        return p;
    }

    /** RFC 8259: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}. */
    private void number() {
        int start = p;
        if (b[p] == '-') {
            p++;
        }
        if (b[p] == '0') {
            p++;
        } else if (b[p] >= '1' && b[p] <= '9') {
            digits();
        } else {
            throw GIVE_UP;
        }
        if (b[p] == '.') {
            p++;
            digits();
        }
        if (b[p] == 'e' || b[p] == 'E') {
            p++;
            if (b[p] == '+' || b[p] == '-') {
                p++;
            }
            digits();
        }
        if (p - start > MAX_NUMBER_LENGTH) {
            throw GIVE_UP;
        }
        tokenEnd();
    }

    /** One or more digits. */
    private void digits() {
        byte[] b = this.b;
        int i = p;
        while (b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        if (i == p) {
            throw GIVE_UP;
        }
        p = i;
    }

    private void literal(String word) {
        for (int i = 0; i < word.length(); i++) {
            if (b[p++] != word.charAt(i)) {
                throw GIVE_UP;
            }
        }
        tokenEnd();
    }

    /**
     * What follows a number or a literal must end it, a structural character or whitespace:
     * "nullx" or "12a" is one bad token to Jackson, not a value and garbage.
     */
    private void tokenEnd() {
        switch (b[p]) {
            case ',', '}', ']', ' ', '\t', '\n', '\r' -> {
            }
            default -> throw GIVE_UP;
        }
    }

    /** After a member or an element: true past a comma (more follow), false past {@code close}. */
    private boolean next(char close) {
        skipWhitespace();
        if (b[p] == ',') {
            p++;
            skipWhitespace();
            return true;
        }
        expect(close);
        return false;
    }

    private void skipWhitespace() {
        byte[] b = this.b;
        int i = p;
        while (i < b.length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
            i++;
        }
        p = i;
    }

    private void expect(char c) {
        if (b[p] != c) {
            throw GIVE_UP;
        }
        p++;
    }

    /** The text of a simple string from its opening quote to {@code end} (past its closing quote). */
    private String text(int start, int end) {
        return new String(b, start + 1, end - start - 2, StandardCharsets.ISO_8859_1);
    }

    /** Whether the simple string from {@code start} to {@code end} (quotes included) is {@code name}. */
    private boolean equals(int start, int end, byte[] name) {
        return Arrays.equals(b, start + 1, end - 1, name, 0, name.length);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
