package io.minimq.broker.api;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a request body into a byte array without ever holding more than the limit: a
 * {@code Content-Length} over the limit is refused before a byte is read, and a chunked body
 * is refused as soon as it passes the limit. Both are 413.
 */
public final class RequestBodies {

    private static final int INITIAL_CHUNKED_BUFFER = 8 * 1024;

    private RequestBodies() {
    }

    /** The whole body, at most {@code maxBytes} long. */
    public static byte[] read(HttpServletRequest request, int maxBytes) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge(maxBytes);
        }
        try (InputStream in = request.getInputStream()) {
            return declared >= 0 ? readExactly(in, (int) declared) : readChunked(in, maxBytes);
        }
    }

    private static byte[] readExactly(InputStream in, int length) throws IOException {
        // one array of the declared size, filled in place (readNBytes(int) would read into
        // chunks and copy them together)
        byte[] body = new byte[length];
        int read = in.readNBytes(body, 0, length);
        if (read < length) {
            throw ApiException.badRequest("Incomplete body",
                    "the body ended after " + read + " of " + length + " declared bytes");
        }
        return body;
    }

    private static byte[] readChunked(InputStream in, int maxBytes) throws IOException {
        byte[] buffer = new byte[Math.min(INITIAL_CHUNKED_BUFFER, maxBytes + 1)];
        int length = 0;
        while (true) {
            if (length == buffer.length) {
                buffer = Arrays.copyOf(buffer, (int) Math.min((long) maxBytes + 1, buffer.length * 2L));
            }
            int n = in.read(buffer, length, buffer.length - length);
            if (n < 0) {
                return Arrays.copyOf(buffer, length);
            }
            length += n;
            if (length > maxBytes) {
                throw tooLarge(maxBytes);
            }
        }
    }

    private static ApiException tooLarge(int maxBytes) {
        return ApiException.tooLarge("Request too large",
                "the request body is larger than minimq.broker.max-request-bytes (" + maxBytes + " bytes)");
    }
}
