package io.minimq.e2e;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
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
 * A minimal server-sent-events client, as a browser's EventSource would behave on one
 * connection: it reads {@code id:}, {@code event:} and {@code data:} lines into events. It does
 * not reconnect by itself; a test reconnects explicitly with {@link #lastEventId()}.
 */
final class SseClient implements AutoCloseable {

    record Event(String id, String name, String data, long receivedAtMillis) {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile InputStream body;
    private volatile String lastEventId;
    private volatile boolean closed;
    private volatile int status = -1;

    private SseClient(String url, String lastEventId) {
        this.lastEventId = lastEventId;
        this.reader = new Thread(() -> read(url), "sse-" + url);
        this.reader.setDaemon(true);
        this.reader.start();
    }

    static SseClient connect(String url) {
        return new SseClient(url, null);
    }

    static SseClient resume(String url, String lastEventId) {
        return new SseClient(url, lastEventId);
    }

    private void read(String url) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        try {
            HttpResponse<InputStream> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()
                    .send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            status = response.statusCode();
            body = response.body();
            BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
            String id = null;
            String name = null;
            StringBuilder data = new StringBuilder();
            for (String line = lines.readLine(); line != null && !closed; line = lines.readLine()) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        if (id != null) {
                            lastEventId = id;
                        }
                        events.add(new Event(id, name, data.toString(), System.currentTimeMillis()));
                    }
                    id = null;
                    name = null;
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    if (data.length() > 0) {
                        data.append('\n');
                    }
                    data.append(line.substring(5).stripLeading());
                }
            }
        } catch (Exception e) {
            // the connection ended: a test sees it as no more events
        }
    }

    /** The next event, or null when none arrives within the timeout. */
    Event next(Duration timeout) throws InterruptedException {
        return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next {@code event: record} event, skipping others. */
    Event nextRecord(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Event event = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (event != null && "record".equals(event.name())) {
                return event;
            }
        }
        return null;
    }

    /** Records until {@code count} have arrived or the timeout passes. */
    List<Event> records(int count, Duration timeout) throws InterruptedException {
        List<Event> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (records.size() < count && System.nanoTime() < deadline) {
            Event event = nextRecord(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (event != null) {
                records.add(event);
            }
        }
        return records;
    }

    String lastEventId() {
        return lastEventId;
    }

    int status() {
        return status;
    }

    @Override
    public void close() {
        closed = true;
        try {
            if (body != null) {
                body.close();
            }
        } catch (Exception ignored) {
            // closing an aborted stream
        }
        reader.interrupt();
    }
}
