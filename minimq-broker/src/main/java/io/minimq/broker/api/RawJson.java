package io.minimq.broker.api;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Cuts one JSON value out of a request body as its raw bytes, while a streaming
 * {@link JsonParser} checks it: no tree is built, and the stored bytes are exactly what the
 * client sent (minus surrounding whitespace). Every string of the value is checked on the way,
 * so bad UTF-8 or control characters are refused rather than stored.
 */
final class RawJson {

    private RawJson() {
    }

    /**
     * With the parser on the first token of a value, consumes the value and returns its bytes
     * from {@code body} (the array the parser reads from).
     */
    static byte[] copyValue(JsonParser parser, byte[] body) {
        int start = (int) parser.currentTokenLocation().getByteOffset();
        consumeValue(parser);
        int end = (int) parser.currentLocation().getByteOffset();
        if (!isStrictUtf8(body, start, end)) {
            throw ApiException.malformedJson("a value is not valid UTF-8 (overlong or surrogate encoding)");
        }
        return Arrays.copyOfRange(body, start, end);
    }

    /**
     * Jackson decodes strings leniently (it accepts overlong forms such as {@code C0 AF} for
     * '/'); the bytes stored must be strict UTF-8, so values with non-ASCII bytes are checked
     * again by the JDK's strict decoder. ASCII-only values (the usual case) cost one scan.
     */
    private static boolean isStrictUtf8(byte[] body, int start, int end) {
        for (int i = start; i < end; i++) {
            if (body[i] < 0) {
                try {
                    StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(body, i, end - i));
                    return true;
                } catch (CharacterCodingException e) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Consumes the value the parser is on. Strings are checked without being decoded: the
     * parser scans a string it was not asked for when it moves to the next token, and that scan
     * refuses what decoding would (unescaped control characters, bad escapes, broken UTF-8
     * sequences). Only a string that is the whole value is finished here, so that the parser's
     * location is past its closing quote.
     */
    static void consumeValue(JsonParser parser) {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_STRING) {
            parser.finishToken();
            return;
        }
        if (!token.isStructStart()) {
            return;
        }
        int depth = 1;
        while (depth > 0) {
            JsonToken next = parser.nextToken();
            if (next == null) {
                throw ApiException.malformedJson("the body ends inside a JSON value");
            }
            if (next.isStructStart()) {
                depth++;
            } else if (next.isStructEnd()) {
                depth--;
            }
        }
    }
}
