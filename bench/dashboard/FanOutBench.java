import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Dashboard fan-out benchmark (not a test): N server-sent-event clients on one dashboard while a
 * producer appends R records/s to the broker. Reports whether every client got every record, in
 * order, once, and the latency from the broker's append (the record's {@code timestamp}) to the
 * moment the client read the bytes, plus the dashboard's CPU and memory (from /proc) and this
 * process's own CPU. Run by bench/dashboard/run.sh:
 *
 * <pre>java FanOutBench.java --dashboard URL --broker URL --pid DASHBOARD_PID [--clients 200] [--rate 100] [--warmup 15] [--seconds 60]</pre>
 *
 * <p>The first {@code warmup} seconds of records (right after the dashboard JVM started, while its
 * JIT compiles the hot path) are delivered and checked like the others but reported apart: the
 * measured figures are the dashboard's steady state, and the all-records line says what a cold
 * start adds.
 *
 * <p>The client has to be light, or on a small machine it steals the CPU whose lack it then
 * reports as latency: all SSE connections are plain non-blocking sockets on ONE selector thread
 * that speaks HTTP/1.1 itself (request line, headers, chunked transfer encoding) and scans the SSE
 * bytes for {@code "offset":} and {@code "timestamp":} without building strings. The producer and
 * the baseline long poll on the broker are blocking raw sockets with keep-alive, one thread each.
 */
public class FanOutBench {

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        URI dashboard = URI.create(opts.get("dashboard"));
        URI broker = URI.create(opts.get("broker"));
        long pid = Long.parseLong(opts.get("pid"));
        int clients = Integer.parseInt(opts.getOrDefault("clients", "200"));
        int rate = Integer.parseInt(opts.getOrDefault("rate", "100"));
        int seconds = Integer.parseInt(opts.getOrDefault("seconds", "60"));
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "15"));
        long clockTicks = Long.parseLong(opts.getOrDefault("clk-tck", "100"));
        String topic = "bench-fanout-" + System.currentTimeMillis();
        String producePath = "/v1/topics/" + topic + "/records";

        // create the topic first (record 0) so every client starts at offset 1 and none misses one
        Http producer = new Http(broker);
        int created = producer.post(producePath, record(-1)).status();
        if (created != 201) {
            throw new IllegalStateException("produce answered " + created);
        }

        int warmupRecords = rate * warmup;
        int target = warmupRecords + rate * seconds;
        SseClients sse = new SseClients(dashboard, "/api/stream?topics=" + topic + "&offset=1", clients, target);
        Thread reader = new Thread(sse, "sse-selector");
        reader.setDaemon(true);
        reader.start();
        if (!sse.open.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("only " + (clients - sse.open.getCount()) + " of " + clients
                    + " streams opened");
        }
        System.out.printf("%d SSE clients connected; producing %d records/s to %s: %d s warm-up, then %d s measured%n",
                clients, rate, topic, warmup, seconds);

        Baseline baseline = new Baseline(new Http(broker), topic, target);
        Thread poller = new Thread(baseline, "direct-long-poll");
        poller.setDaemon(true);
        poller.start();

        // one request per record on a fixed schedule, like many agents would send them
        ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor();
        AtomicLong produced = new AtomicLong();
        AtomicLong sent = new AtomicLong();
        Map<String, Integer> failures = new HashMap<>();
        CountDownLatch warmedUp = new CountDownLatch(1);
        CountDownLatch allSent = new CountDownLatch(1);
        schedule.scheduleAtFixedRate(() -> {
            long i = sent.getAndIncrement();
            if (i == warmupRecords) {
                warmedUp.countDown();
            }
            if (i >= target) {
                allSent.countDown();
                throw new IllegalStateException("done"); // ends the schedule
            }
            try {
                int status = producer.post(producePath, record(i)).status();
                if (status == 201) {
                    produced.incrementAndGet();
                } else {
                    failures.merge("HTTP " + status, 1, Integer::sum);
                }
            } catch (IOException e) {
                failures.merge(e.toString(), 1, Integer::sum);
                producer.close();
            }
        }, 0, 1_000_000L / rate, TimeUnit.MICROSECONDS);
        warmedUp.await();

        // the measured phase: CPU and memory from here on
        long[] cpuBefore = cpuTicks(pid);
        Duration benchCpuBefore = ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
        long wallBefore = System.nanoTime();
        long rssPeak = rssKb(pid);
        while (!allSent.await(1, TimeUnit.SECONDS)) {
            rssPeak = Math.max(rssPeak, rssKb(pid));
        }
        schedule.shutdown();
        schedule.awaitTermination(10, TimeUnit.SECONDS);
        double wall = (System.nanoTime() - wallBefore) / 1e9;
        long[] cpuAfter = cpuTicks(pid);
        double benchCpu = (ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO)
                .minus(benchCpuBefore)).toMillis() / 1000.0;
        String load = Files.readString(Path.of("/proc/loadavg")).strip();
        long expected = produced.get();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && !sse.allReached(expected)) {
            Thread.sleep(100);
        }
        sse.stop();

        long complete = sse.complete(expected);
        long[] measured = sse.latencies(warmupRecords, target);
        double cpuSeconds = ((cpuAfter[0] - cpuBefore[0]) + (cpuAfter[1] - cpuBefore[1])) / (double) clockTicks;
        failures.forEach((reason, n) -> System.out.printf("failed produce requests: %d x %s%n", n, reason));
        System.out.printf("produced %d records (%d in the warm-up), %.1f records/s measured%n", expected,
                warmupRecords, (expected - warmupRecords) / wall);
        System.out.printf("clients with every record, in order, no repeat: %d of %d (%d deliveries)%n", complete,
                clients, sse.latencies(0, target).length);
        System.out.printf("append-to-receipt latency ms, measured %d s (%d deliveries): %s%n", seconds,
                measured.length, percentiles(measured));
        System.out.printf("append-to-receipt latency ms, all records including the warm-up: %s%n",
                percentiles(sse.latencies(0, target)));
        System.out.print(sse.windows(rate * 10, expected));
        long[] direct = baseline.latencies(warmupRecords);
        System.out.printf("baseline, one long poll straight on the broker, measured %d s (%d records), latency ms: %s%n",
                seconds, direct.length, percentiles(direct));
        System.out.printf("baseline, all records including the warm-up, latency ms: %s%n",
                percentiles(baseline.latencies(0)));
        System.out.printf("dashboard CPU, measured %d s: %.1f s (user %.1f, system %.1f) over %.1f s = %.0f%% of one "
                + "core = %.1f us per delivered event; RSS peak %d MiB, now %d MiB%n", seconds, cpuSeconds,
                (cpuAfter[0] - cpuBefore[0]) / (double) clockTicks, (cpuAfter[1] - cpuBefore[1]) / (double) clockTicks,
                wall, 100 * cpuSeconds / wall, measured.length == 0 ? 0 : cpuSeconds * 1e6 / measured.length,
                rssPeak / 1024, rssKb(pid) / 1024);
        System.out.printf("this client process (producer + baseline + %d SSE clients on one selector thread) CPU, "
                + "measured %d s: %.1f s = %.0f%% of one core; load average at the end %s%n", clients, seconds, benchCpu,
                100 * benchCpu / wall, load);
        System.exit(complete == clients ? 0 : 1);
    }

    private static String record(long i) {
        return "{\"records\":[{\"key\":\"bench\",\"value\":{\"i\":" + i + ",\"node\":\"bench\",\"value\":42.5}}]}";
    }

    /** Latencies in microseconds, sorted in place, as "p50 a, p90 b, ..." in milliseconds. */
    private static String percentiles(long[] micros) {
        Arrays.sort(micros);
        if (micros.length == 0) {
            return "none";
        }
        return String.format("p50 %.1f, p90 %.1f, p99 %.1f, p99.9 %.1f, max %.1f", pct(micros, 50) / 1e3,
                pct(micros, 90) / 1e3, pct(micros, 99) / 1e3, pct(micros, 99.9) / 1e3, micros[micros.length - 1] / 1e3);
    }

    private static long pct(long[] sorted, double p) {
        return sorted[(int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1))];
    }

    /**
     * Now, in microseconds since the epoch: the broker stamps records with whole milliseconds
     * ({@code System.currentTimeMillis()}), so a latency here includes up to 1 ms of that truncation.
     */
    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    /** utime and stime of a process, in clock ticks (/proc/PID/stat fields 14 and 15). */
    private static long[] cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12])};
    }

    private static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    static int indexOf(byte[] bytes, int from, int to, byte[] needle) {
        outer:
        for (int i = from; i <= to - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The non-negative integer right after {@code field} in {@code bytes[from, to)}; -1 when absent. */
    static long number(byte[] bytes, int from, int to, byte[] field) {
        int at = indexOf(bytes, from, to, field);
        if (at < 0) {
            return -1;
        }
        long value = 0;
        for (int i = at + field.length; i < to && bytes[i] >= '0' && bytes[i] <= '9'; i++) {
            value = value * 10 + (bytes[i] - '0');
        }
        return value;
    }

    static final byte[] OFFSET = "\"offset\":".getBytes(StandardCharsets.US_ASCII);
    static final byte[] TIMESTAMP = "\"timestamp\":".getBytes(StandardCharsets.US_ASCII);

    /** Every SSE connection, read by one selector thread. */
    static final class SseClients implements Runnable {

        final CountDownLatch open;
        private final Selector selector;
        private final Stream[] streams;
        private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        private volatile boolean stopped;

        SseClients(URI server, String path, int count, int capacity) throws IOException {
            this.open = new CountDownLatch(count);
            this.selector = Selector.open();
            this.streams = new Stream[count];
            byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: " + server.getHost() + ":" + server.getPort()
                    + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < count; i++) {
                SocketChannel channel = SocketChannel.open(new InetSocketAddress(server.getHost(), server.getPort()));
                channel.write(ByteBuffer.wrap(request));
                channel.configureBlocking(false);
                streams[i] = new Stream(capacity, open);
                channel.register(selector, SelectionKey.OP_READ, streams[i]);
            }
        }

        @Override
        public void run() {
            try {
                while (!stopped) {
                    selector.select(100);
                    for (SelectionKey key : selector.selectedKeys()) {
                        SocketChannel channel = (SocketChannel) key.channel();
                        buffer.clear();
                        int n = channel.read(buffer);
                        long now = nowMicros(); // the bytes are here: this is the receipt time
                        if (n < 0) {
                            ((Stream) key.attachment()).fail("connection closed by the dashboard");
                            key.cancel();
                            channel.close();
                        } else {
                            ((Stream) key.attachment()).accept(buffer.array(), n, now);
                        }
                    }
                    selector.selectedKeys().clear();
                }
                for (SelectionKey key : selector.keys()) {
                    key.channel().close();
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        void stop() {
            stopped = true;
        }

        boolean allReached(long expected) {
            return Arrays.stream(streams).allMatch(s -> s.count >= expected);
        }

        long complete(long expected) {
            return Arrays.stream(streams).filter(s -> s.count == expected && s.inOrder && s.failure == null).count();
        }

        /** The latency percentiles of every {@code size} consecutive records (10 s of produce), to show warm-up and hiccups. */
        String windows(int size, long expected) {
            StringBuilder out = new StringBuilder();
            for (int from = 0; from < expected; from += size) {
                int to = (int) Math.min(expected, from + size);
                long[] window = new long[streams.length * (to - from)];
                int n = 0;
                for (Stream s : streams) {
                    for (int i = from; i < Math.min(to, Math.min(s.count, s.latencies.length)); i++) {
                        window[n++] = s.latencies[i];
                    }
                }
                out.append(String.format("  records %d-%d: %s%n", from + 1, to,
                        percentiles(Arrays.copyOf(window, n))));
            }
            return out.toString();
        }

        /** The latencies of the records with index {@code [from, to)} (offset - 1), of every client. */
        long[] latencies(int from, int to) {
            long total = 0;
            for (Stream s : streams) {
                total += Math.max(0, Math.min(to, Math.min(s.count, s.latencies.length)) - from);
            }
            long[] all = new long[(int) total];
            int at = 0;
            for (Stream s : streams) {
                int n = Math.max(0, Math.min(to, Math.min(s.count, s.latencies.length)) - from);
                System.arraycopy(s.latencies, from, all, at, n);
                at += n;
            }
            return all;
        }
    }

    /**
     * One SSE connection's parser: the HTTP response head, then the body (chunked or not), split
     * into lines; {@code data:} lines give an offset and a timestamp. Only the selector thread
     * writes its fields.
     */
    static final class Stream {

        private enum State { HEAD, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, BODY }

        final long[] latencies;
        private final CountDownLatch open;
        volatile int count;
        volatile boolean inOrder = true;
        volatile String failure;
        private long lastOffset;
        private State state = State.HEAD;
        private boolean chunked;
        private long chunkLeft;
        private byte[] line = new byte[4096];
        private int lineLength;

        Stream(int capacity, CountDownLatch open) {
            this.latencies = new long[capacity];
            this.open = open;
        }

        void fail(String why) {
            if (failure == null) {
                failure = why;
                System.err.println("SSE client failed: " + why);
            }
        }

        void accept(byte[] bytes, int length, long now) {
            int i = 0;
            while (i < length) {
                switch (state) {
                    case HEAD, CHUNK_SIZE, CHUNK_END -> {
                        byte b = bytes[i++];
                        if (b == '\n') {
                            headLine(now);
                        } else if (b != '\r') {
                            append(b);
                        }
                    }
                    case CHUNK_DATA -> {
                        int n = (int) Math.min(chunkLeft, length - i);
                        body(bytes, i, n, now);
                        i += n;
                        chunkLeft -= n;
                        if (chunkLeft == 0) {
                            state = State.CHUNK_END;
                        }
                    }
                    case BODY -> {
                        body(bytes, i, length - i, now);
                        i = length;
                    }
                }
            }
        }

        /** A line of the response head, a chunk-size line or the empty line after a chunk. */
        private void headLine(long now) {
            String text = new String(line, 0, lineLength, StandardCharsets.US_ASCII);
            lineLength = 0;
            switch (state) {
                case HEAD -> {
                    if (text.startsWith("HTTP/1.1 ") && !text.startsWith("HTTP/1.1 200")) {
                        fail("dashboard answered " + text);
                    } else if (text.toLowerCase().matches("transfer-encoding:\\s*chunked")) {
                        chunked = true;
                    } else if (text.isEmpty()) {
                        state = chunked ? State.CHUNK_SIZE : State.BODY;
                    }
                }
                case CHUNK_SIZE -> {
                    int semicolon = text.indexOf(';');
                    chunkLeft = Long.parseLong(semicolon < 0 ? text.strip() : text.substring(0, semicolon).strip(), 16);
                    state = chunkLeft == 0 ? State.HEAD : State.CHUNK_DATA; // a last chunk ends the stream
                    if (chunkLeft == 0) {
                        fail("the dashboard ended the stream");
                    }
                }
                case CHUNK_END -> state = State.CHUNK_SIZE;
                default -> throw new IllegalStateException(state.name());
            }
        }

        /** SSE bytes: split into lines. */
        private void body(byte[] bytes, int from, int n, long now) {
            for (int i = from; i < from + n; i++) {
                byte b = bytes[i];
                if (b == '\n') {
                    sseLine(now);
                    lineLength = 0;
                } else {
                    append(b);
                }
            }
        }

        private void sseLine(long now) {
            if (lineLength > 5 && line[0] == 'd' && line[1] == 'a' && line[2] == 't' && line[3] == 'a' && line[4] == ':') {
                long offset = number(line, 0, lineLength, OFFSET);
                long timestamp = number(line, 0, lineLength, TIMESTAMP);
                if (offset != lastOffset + 1) {
                    inOrder = false;
                }
                lastOffset = offset;
                if (count < latencies.length) {
                    latencies[count] = now - timestamp * 1000;
                }
                count++;
            } else if (lineLength > 7 && line[0] == ':' && line[1] == 'm' && line[2] == 'i') {
                open.countDown(); // ":minimq stream of ...", the stream's first comment: connected
            }
        }

        private void append(byte b) {
            if (lineLength == line.length) {
                line = Arrays.copyOf(line, line.length * 2);
            }
            line[lineLength++] = b;
        }
    }

    /** The broker's own append-to-long-poll latency, as a baseline for the dashboard's. */
    static final class Baseline implements Runnable {

        private final Http http;
        private final String topic;
        private final long[] latencies;
        private volatile int count;

        Baseline(Http http, String topic, int capacity) {
            this.http = http;
            this.topic = topic;
            this.latencies = new long[capacity];
        }

        @Override
        public void run() {
            long offset = 1;
            try {
                while (count < latencies.length) {
                    Http.Response response = http.get("/v1/topics/" + topic + "/records?offset=" + offset
                            + "&limit=1000&maxWaitMs=5000");
                    byte[] body = response.body();
                    int at = 0;
                    while ((at = indexOf(body, at, body.length, TIMESTAMP)) >= 0) {
                        latencies[count++] = response.receivedMicros() - number(body, at, body.length, TIMESTAMP) * 1000;
                        offset++;
                        at++;
                    }
                }
            } catch (IOException e) {
                System.err.println("baseline long poll failed: " + e);
            }
        }

        /** The latencies of the records from index {@code from} on. */
        long[] latencies(int from) {
            int n = count;
            return from >= n ? new long[0] : Arrays.copyOfRange(latencies, from, n);
        }
    }

    /** A blocking HTTP/1.1 connection with keep-alive, raw socket: Content-Length or chunked answers. */
    static final class Http {

        record Response(int status, byte[] body, long receivedMicros) {
        }

        private final URI server;
        private Socket socket;
        private InputStream in;
        private OutputStream out;

        Http(URI server) {
            this.server = server;
        }

        Response post(String path, String json) throws IOException {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            return exchange("POST " + path + " HTTP/1.1\r\nHost: " + host() + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n", body);
        }

        Response get(String path) throws IOException {
            return exchange("GET " + path + " HTTP/1.1\r\nHost: " + host() + "\r\n\r\n", new byte[0]);
        }

        void close() {
            try {
                if (socket != null) {
                    socket.close();
                }
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
        }

        private String host() {
            return server.getHost() + ":" + server.getPort();
        }

        private Response exchange(String head, byte[] body) throws IOException {
            if (socket == null) {
                socket = new Socket(server.getHost(), server.getPort());
                socket.setTcpNoDelay(true);
                in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
                out = socket.getOutputStream();
            }
            byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
            byte[] request = Arrays.copyOf(headBytes, headBytes.length + body.length);
            System.arraycopy(body, 0, request, headBytes.length, body.length);
            out.write(request);
            out.flush();
            String status = line();
            long received = nowMicros(); // the first bytes of the answer are here
            long length = -1;
            boolean chunked = false;
            boolean close = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                String lower = header.toLowerCase();
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).strip());
                } else if (lower.matches("transfer-encoding:\\s*chunked")) {
                    chunked = true;
                } else if (lower.matches("connection:\\s*close")) {
                    close = true;
                }
            }
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            if (chunked) {
                for (long size = chunkSize(); size > 0; size = chunkSize()) {
                    content.write(in.readNBytes((int) size));
                    line();
                }
                line();
            } else if (length >= 0) {
                content.write(in.readNBytes((int) length));
            }
            if (close) {
                close();
            }
            return new Response(Integer.parseInt(status.split(" ")[1]), content.toByteArray(), received);
        }

        private long chunkSize() throws IOException {
            String size = line();
            int semicolon = size.indexOf(';');
            return Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).strip(), 16);
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("connection closed");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }
    }
}
