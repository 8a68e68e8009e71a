import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Dashboard fan-out benchmark (not a test): N server-sent-event clients on one dashboard while a
 * producer appends R records/s to the broker. Reports whether every client got every record, in
 * order, and the latency from the broker's append (the record's timestamp) to receipt by the
 * client, plus the dashboard's CPU and memory (from /proc). Run by bench/dashboard/run.sh:
 *
 * <pre>java FanOutBench.java --dashboard URL --broker URL --pid DASHBOARD_PID [--clients 200] [--rate 100] [--seconds 60]</pre>
 *
 * Plain JDK only (java.net.http, non-blocking line subscribers), so 200 clients need no thread each.
 */
public class FanOutBench {

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String dashboard = opts.get("dashboard");
        String broker = opts.get("broker");
        long pid = Long.parseLong(opts.get("pid"));
        int clients = Integer.parseInt(opts.getOrDefault("clients", "200"));
        int rate = Integer.parseInt(opts.getOrDefault("rate", "100"));
        int seconds = Integer.parseInt(opts.getOrDefault("seconds", "60"));
        long clockTicks = Long.parseLong(opts.getOrDefault("clk-tck", "100"));
        String topic = "bench-fanout-" + System.currentTimeMillis();

        // Separate clients: one JDK HttpClient runs all its connections' I/O on one selector thread,
        // so the producer and the baseline poller get their own and the SSE clients are spread over 8.
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpClient pollerHttp = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpClient[] sseHttp = new HttpClient[8];
        for (int i = 0; i < sseHttp.length; i++) {
            sseHttp[i] = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        }
        // create the topic first so every client starts at offset 0
        produce(http, broker, topic, -1);

        List<Client> all = new ArrayList<>();
        CountDownLatch open = new CountDownLatch(clients);
        for (int i = 0; i < clients; i++) {
            Client client = new Client(open, rate * seconds);
            all.add(client);
            HttpRequest request = HttpRequest.newBuilder(URI.create(dashboard + "/api/stream?topics=" + topic + "&offset=1"))
                    .header("Accept", "text/event-stream").build();
            sseHttp[i % sseHttp.length].sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(client));
        }
        if (!open.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("only " + (clients - open.getCount()) + " of " + clients + " streams opened");
        }
        System.out.printf("%d SSE clients connected; producing %d records/s for %d s to %s%n", clients, rate, seconds, topic);

        long[] cpuBefore = cpuTicks(pid);
        Duration benchCpuBefore = ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
        long wallBefore = System.nanoTime();
        ScheduledExecutorService producer = Executors.newSingleThreadScheduledExecutor();
        AtomicLong produced = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long periodMicros = 1_000_000L / rate;
        AtomicLong sent = new AtomicLong();
        // requests are sent on a fixed schedule without waiting for the previous answer, like many agents would
        long target = (long) rate * seconds;
        CountDownLatch allSent = new CountDownLatch(1);
        producer.scheduleAtFixedRate(() -> {
            long i = sent.getAndIncrement();
            if (i >= target) {
                allSent.countDown();
                throw new IllegalStateException("done"); // ends the schedule
            }
            produceAsync(http, broker, topic, i)
                    .whenComplete((status, error) -> {
                        if (error == null && status == 201) {
                            produced.incrementAndGet();
                        } else {
                            failures.merge(error == null ? "HTTP " + status : error.getClass().getSimpleName(), 1, Integer::sum);
                            failed.incrementAndGet();
                        }
                    });
        }, 0, periodMicros, TimeUnit.MICROSECONDS);
        Thread poller = new Thread(() -> longPoll(pollerHttp, broker, topic, directLatencies), "direct-long-poll");
        poller.setDaemon(true);
        poller.start();
        long rssPeak = 0;
        while (!allSent.await(1, TimeUnit.SECONDS)) {
            rssPeak = Math.max(rssPeak, rssKb(pid));
        }
        producer.shutdown();
        while (produced.get() + failed.get() < target) {
            Thread.sleep(10);
        }
        double wall = (System.nanoTime() - wallBefore) / 1e9;
        long[] cpuAfter = cpuTicks(pid);
        long expected = produced.get();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && all.stream().anyMatch(c -> c.count < expected)) {
            Thread.sleep(100);
        }

        long complete = all.stream().filter(c -> c.count == expected && c.inOrder).count();
        long total = all.stream().mapToLong(c -> c.count).sum();
        long[] latencies = new long[(int) Math.min(total, (long) clients * rate * seconds)];
        int at = 0;
        for (Client c : all) {
            int n = Math.min(c.count, c.latencies.length);
            System.arraycopy(c.latencies, 0, latencies, at, n);
            at += n;
        }
        Arrays.sort(latencies);
        double cpuSeconds = ((cpuAfter[0] - cpuBefore[0]) + (cpuAfter[1] - cpuBefore[1])) / (double) clockTicks;
        failures.forEach((reason, n) -> System.out.printf("failed produce requests: %d x %s%n", n, reason));
        System.out.printf("produced %d records (%d failed requests) in %.1f s = %.1f records/s%n", expected, failed.get(),
                wall, expected / wall);
        System.out.printf("clients with every record, in order, no repeat: %d of %d (%d deliveries)%n", complete, clients, total);
        System.out.printf("append-to-receipt latency ms: p50 %d, p90 %d, p99 %d, p99.9 %d, max %d%n",
                pct(latencies, 50), pct(latencies, 90), pct(latencies, 99), pct(latencies, 99.9),
                latencies.length == 0 ? -1 : latencies[latencies.length - 1]);
        long[] direct = directLatencies.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("baseline, one long poll straight on the broker, latency ms: p50 %d, p99 %d, max %d%n",
                pct(direct, 50), pct(direct, 99), direct.length == 0 ? -1 : direct[direct.length - 1]);
        System.out.printf("dashboard CPU: %.1f s over %.1f s = %.0f%% of one core; RSS peak %d MiB, now %d MiB%n",
                cpuSeconds, wall, 100 * cpuSeconds / wall, rssPeak / 1024, rssKb(pid) / 1024);
        double benchCpu = (ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).minus(benchCpuBefore))
                .toMillis() / 1000.0;
        System.out.printf("this client process (producer + %d SSE clients) CPU: %.1f s = %.0f%% of one core; load average %s%n",
                clients, benchCpu, 100 * benchCpu / wall, Files.readString(Path.of("/proc/loadavg")).strip());
        System.exit(complete == clients ? 0 : 1);
    }

    private static final Map<String, Integer> failures = new java.util.concurrent.ConcurrentHashMap<>();
    private static final List<Long> directLatencies = java.util.Collections.synchronizedList(new ArrayList<>());

    private static java.util.concurrent.CompletableFuture<Integer> produceAsync(HttpClient http, String broker,
            String topic, long i) {
        String body = "{\"records\":[{\"key\":\"bench\",\"value\":{\"i\":" + i + ",\"node\":\"bench\",\"value\":42.5}}]}";
        return http.sendAsync(HttpRequest.newBuilder(URI.create(broker + "/v1/topics/" + topic + "/records"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode);
    }

    /** The broker's own append-to-long-poll latency, as a baseline for the dashboard's. */
    private static void longPoll(HttpClient http, String broker, String topic, List<Long> latencies) {
        long offset = 1;
        while (true) {
            try {
                String body = http.send(HttpRequest.newBuilder(URI.create(broker + "/v1/topics/" + topic
                        + "/records?offset=" + offset + "&limit=1000&maxWaitMs=5000")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                long now = System.currentTimeMillis();
                int at = 0;
                while ((at = body.indexOf("\"timestamp\":", at)) >= 0) {
                    latencies.add(now - Client.number(body.substring(at), "\"timestamp\":"));
                    offset++;
                    at++;
                }
            } catch (Exception e) {
                return;
            }
        }
    }

    private static void produce(HttpClient http, String broker, String topic, long i) throws Exception {
        String body = "{\"records\":[{\"key\":\"bench\",\"value\":{\"i\":" + i + ",\"node\":\"bench\",\"value\":42.5}}]}";
        HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(broker + "/v1/topics/" + topic + "/records"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("produce answered " + response.statusCode());
        }
    }

    private static long pct(long[] sorted, double p) {
        return sorted.length == 0 ? -1 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)];
    }

    /** utime and stime of a process, in clock ticks (/proc/PID/stat fields 14 and 15). */
    private static long[] cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12])};
    }

    private static long rssKb(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    /** One SSE connection: records the latency of every record and checks offsets arrive 1, 2, 3, ... */
    static final class Client implements Flow.Subscriber<String> {

        private final CountDownLatch open;
        final long[] latencies;
        volatile int count;
        volatile boolean inOrder = true;
        private long lastOffset = 0;

        Client(CountDownLatch open, int capacity) {
            this.open = open;
            this.latencies = new long[capacity];
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (line.startsWith(":minimq")) {
                open.countDown(); // the stream's first comment: connected and following
            } else if (line.startsWith("data:")) {
                long now = System.currentTimeMillis();
                long offset = number(line, "\"offset\":");
                long timestamp = number(line, "\"timestamp\":");
                inOrder &= offset == lastOffset + 1;
                lastOffset = offset;
                if (count < latencies.length) {
                    latencies[count] = now - timestamp;
                }
                count++;
            }
        }

        private static long number(String json, String field) {
            int start = json.indexOf(field) + field.length();
            int end = start;
            while (end < json.length() && Character.isDigit(json.charAt(end))) {
                end++;
            }
            return Long.parseLong(json, start, end, 10);
        }

        @Override
        public void onError(Throwable throwable) {
            System.err.println("client failed: " + throwable);
        }

        @Override
        public void onComplete() {
        }
    }
}
