package io.minimq.dashboard;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A minimal server-sent events client for tests: reads {@code text/event-stream} on a thread of
 * its own, the way a browser's EventSource does, and queues every event (comments included).
 */
public final class SseClient implements AutoCloseable {

    /** One event; {@code event} is "comment" for a comment line. */
    public record Event(String id, String event, String data) {
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Thread reader;
    private final Closeable connection;
    private volatile int status;
    private volatile String contentType = "";

    /** {@code raw} is the HTTP/1.1 response with status line and chunked body when {@code http1}, else the body. */
    private SseClient(Closeable connection, InputStream raw, boolean http1) {
        this.connection = connection;
        this.reader = new Thread(() -> read(() -> http1 ? chunkedBody(raw) : raw), "sse-client");
        reader.setDaemon(true);
    }

    /** Connects to {@code url}, sending {@code lastEventId} when not null, and reads events as they come. */
    public static SseClient connect(String url, String lastEventId) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(30));
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        SseClient client = new SseClient(response.body(), response.body(), false);
        client.status = response.statusCode();
        client.contentType = response.headers().firstValue("Content-Type").orElse("");
        client.reader.start();
        return client;
    }

    /**
     * Connects over a plain socket with a small receive buffer and reads nothing until
     * {@link #startReading()}: the server's writes back up at once, as with a browser tab that
     * stopped reading.
     */
    public static SseClient connectWithoutReading(String url) throws IOException {
        URI uri = URI.create(url);
        Socket socket = new Socket();
        socket.setReceiveBufferSize(16 * 1024);
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()));
        String request = "GET " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                + " HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nAccept: text/event-stream\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return new SseClient(socket, new java.io.BufferedInputStream(socket.getInputStream()), true);
    }

    /** Starts reading events (after {@link #connectWithoutReading}). */
    public void startReading() {
        reader.start();
    }

    /** Reads the status line and headers, then returns the de-chunked body. */
    private InputStream chunkedBody(InputStream in) throws IOException {
        String statusLine = line(in);
        status = Integer.parseInt(statusLine.split(" ")[1]);
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            if (header.toLowerCase(java.util.Locale.ROOT).startsWith("content-type:")) {
                contentType = header.substring(13).strip();
            }
        }
        return new InputStream() {
            private int left;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            /** Returns what the current chunk has ready rather than blocking until {@code len} bytes came. */
            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (left == 0) {
                    String size = line(in);
                    if (size.isEmpty()) {
                        size = line(in); // the CRLF that ends the previous chunk
                    }
                    left = Integer.parseInt(size.strip(), 16);
                    if (left == 0) {
                        return -1;
                    }
                }
                int read = in.read(buffer, offset, Math.min(length, left));
                if (read > 0) {
                    left -= read;
                }
                return read;
            }
        };
    }

    /** One line of an HTTP head or chunk header, without its line ending. */
    static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException();
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @FunctionalInterface
    private interface ThrowingSupplier<T> {
        T get() throws IOException;
    }

    public int status() {
        return status;
    }

    public String contentType() {
        return contentType;
    }

    /** The next event that is not a comment, waiting up to {@code timeout}; null when none came. */
    public Event next(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Event event = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
            if (event == null || !event.event().equals("comment")) {
                return event;
            }
        }
    }

    /** The next event of the given kind, skipping others, waiting up to {@code timeout}; null when none came. */
    public Event next(String kind, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Event event = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
            if (event == null || event.event().equals(kind)) {
                return event;
            }
        }
    }

    /** The next {@code count} record events; fails when they do not all come within {@code timeout}. */
    public List<Event> records(int count, Duration timeout) throws InterruptedException {
        List<Event> records = new ArrayList<>(count);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (records.size() < count) {
            Event event = next("record", Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (event == null) {
                throw new AssertionError("got " + records.size() + " of " + count + " records in " + timeout);
            }
            records.add(event);
        }
        return records;
    }

    private void read(ThrowingSupplier<InputStream> source) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(source.get(), StandardCharsets.UTF_8))) {
            String id = null;
            String event = null;
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (event != null || !data.isEmpty()) {
                        events.add(new Event(id, event == null ? "message" : event, data.toString()));
                    }
                    id = null;
                    event = null;
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    events.add(new Event(null, "comment", line.substring(1)));
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).stripLeading());
                }
            }
        } catch (IOException e) {
            // closed by close(), or the server went away: the test sees no more events
        }
    }

    @Override
    public void close() throws IOException {
        connection.close();
        reader.interrupt();
    }
}
