import io.minimq.broker.log.FlushPolicy;
import io.minimq.broker.log.LogConfig;
import io.minimq.broker.log.LogListener;
import io.minimq.broker.log.LogStorage;
import io.minimq.broker.storage.NewRecord;
import io.minimq.broker.storage.ReadResult;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Throughput of the MiniMQ file log (a plain harness, not JMH): see bench/log/run.sh.
 * Every scenario runs for a fixed time after a short warm-up and prints one line.
 * Usage: java -cp CLASSPATH bench/log/LogBench.java WORK_DIR [SECONDS] [STARTUP_GIB]
 */
public class LogBench {

    static final byte[] VALUE = value100();

    public static void main(String[] args) throws Exception {
        Path work = Files.createDirectories(Path.of(args[0]));
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int startupGiB = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        System.out.printf("# java %s, %d cores, %d s per scenario, 100-byte values%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), seconds);
        bareAppendCrcLoop(work.resolve("bare"), seconds);
        Path data = work.resolve("interval");
        appendScenario(data, FlushPolicy.INTERVAL, 100, 1, seconds);
        readScenario(data, seconds);
        appendScenario(work.resolve("interval-1"), FlushPolicy.INTERVAL, 1, 1, seconds);
        appendScenario(work.resolve("always-16"), FlushPolicy.ALWAYS, 1, 16, seconds);
        if (startupGiB > 0) {
            startupScenario(work.resolve("startup"), startupGiB);
        }
    }

    /** The limit: encode + CRC32C 140-byte records into a buffer and write it to the page cache. */
    static void bareAppendCrcLoop(Path dir, int seconds) throws IOException {
        Files.createDirectories(dir);
        try (FileChannel ch = FileChannel.open(dir.resolve("bare.log"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.allocate(100 * 140);
            CRC32C crc = new CRC32C();
            long records = 0;
            long position = 0;
            long start = System.nanoTime();
            long warm = start + 1_000_000_000L;
            long end = warm + seconds * 1_000_000_000L;
            long counted = 0;
            boolean warmedUp = false;
            while (true) {
                buf.clear();
                for (int i = 0; i < 100; i++) {
                    int p = buf.position();
                    buf.putInt(136).putInt(0).put((byte) 1).put((byte) 0).putLong(records++).putInt(99 - i)
                            .putLong(System.currentTimeMillis()).putInt(-1).putInt(0).put(VALUE);
                    crc.reset();
                    crc.update(buf.array(), p + 8, buf.position() - p - 8);
                    buf.putInt(p + 4, (int) crc.getValue());
                }
                buf.flip();
                while (buf.hasRemaining()) {
                    position += ch.write(buf, position);
                }
                if (position > 1L << 30) {
                    position = 0;
                }
                long now = System.nanoTime();
                if (!warmedUp && now >= warm) {
                    warmedUp = true;
                    counted = records;
                }
                if (now >= end) {
                    report("bare append+CRC32C loop (page cache, the limit)", records - counted, seconds);
                    break;
                }
            }
        }
        deleteRecursively(dir);
    }

    static void appendScenario(Path dir, FlushPolicy policy, int batchSize, int threads, int seconds) throws Exception {
        AtomicLong fsyncs = new AtomicLong();
        LogListener listener = new LogListener() {
            @Override
            public void onFlush(String topic, long nanos) {
                fsyncs.incrementAndGet();
            }
        };
        LogConfig config = LogConfig.defaults(dir).withFlush(policy, Duration.ofSeconds(1));
        List<NewRecord> batch = new ArrayList<>();
        for (int i = 0; i < batchSize; i++) {
            batch.add(new NewRecord(null, null, VALUE));
        }
        try (LogStorage storage = new LogStorage(config, listener)) {
            storage.createOrUpdateTopic("bench", null);
            AtomicBoolean measuring = new AtomicBoolean();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong records = new AtomicLong();
            CountDownLatch done = new CountDownLatch(threads);
            for (int t = 0; t < threads; t++) {
                Thread thread = new Thread(() -> {
                    long mine = 0;
                    while (!stop.get()) {
                        storage.append("bench", batch, null, false);
                        if (measuring.get()) {
                            mine += batchSize;
                        }
                    }
                    records.addAndGet(mine);
                    done.countDown();
                });
                thread.start();
            }
            Thread.sleep(1000);
            long fsyncsBefore = fsyncs.get();
            measuring.set(true);
            Thread.sleep(seconds * 1000L);
            measuring.set(false);
            long fsyncsDuring = fsyncs.get() - fsyncsBefore;
            stop.set(true);
            done.await();
            String name = String.format("append %s, batch %d, %d thread(s)", policy.name().toLowerCase(), batchSize, threads);
            report(name, records.get(), seconds);
            if (policy == FlushPolicy.ALWAYS) {
                System.out.printf("    fsyncs: %d (%.0f/s), %.1f records per fsync%n", fsyncsDuring,
                        fsyncsDuring / (double) seconds, records.get() / (double) Math.max(1, fsyncsDuring));
            }
        }
        if (policy == FlushPolicy.ALWAYS || batchSize == 1) {
            deleteRecursively(dir);
        }
    }

    /** Reads the topic written by the batch-100 scenario from offset 0, 1000 records per read. */
    static void readScenario(Path dir, int seconds) throws Exception {
        try (LogStorage storage = new LogStorage(LogConfig.defaults(dir))) {
            long end = storage.topic("bench").orElseThrow().endOffset();
            long warm = System.nanoTime() + 1_000_000_000L;
            long stopAt = warm + seconds * 1_000_000_000L;
            long next = 0;
            long counted = -1;
            long countStart = 0;
            long now = System.nanoTime();
            while (now < stopAt) {
                if (next >= end) {
                    next = 0;
                }
                ReadResult r = storage.read("bench", next, 1000, 1 << 20);
                next = r.nextOffset();
                now = System.nanoTime();
                if (counted < 0 && now >= warm) {
                    counted = 0;
                    countStart = now;
                } else if (counted >= 0) {
                    counted += r.records().size();
                }
            }
            report("sequential read, 1000 records per read (" + end + " records in the topic)", counted,
                    (now - countStart) / 1e9);
        }
        deleteRecursively(dir);
    }

    /** Writes a topic of {@code gib} GiB in 64 MiB segments, then times a clean start and one without checkpoint. */
    static void startupScenario(Path dir, int gib) throws Exception {
        LogConfig config = LogConfig.defaults(dir);
        List<NewRecord> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            batch.add(new NewRecord(null, null, VALUE));
        }
        try (LogStorage storage = new LogStorage(config)) {
            // Stop just short of gib GiB, so that the last of the 64 MiB segments is nearly full:
            // the worst case for a start without checkpoint, which scans the whole last segment.
            while (storage.topic("big").map(s -> s.sizeBytes()).orElse(0L) < ((long) gib << 30) - (2 << 20)) {
                storage.append("big", batch, null, true);
            }
            System.out.printf("startup: wrote %d MiB in %d segments%n", storage.topic("big").orElseThrow().sizeBytes() >> 20,
                    storage.topic("big").orElseThrow().segments());
        }
        timeStart(config, "clean shutdown");
        Files.delete(dir.resolve("big").resolve("recovery.checkpoint"));
        timeStart(config, "no checkpoint: scans the whole last segment");
        deleteRecursively(dir);
    }

    static void timeStart(LogConfig config, String what) {
        long start = System.nanoTime();
        try (LogStorage storage = new LogStorage(config)) {
            storage.read("big", storage.topic("big").orElseThrow().endOffset() - 1, 1, 1000);
            System.out.printf("startup (%s): ready and served the last record in %.0f ms%n", what,
                    (System.nanoTime() - start) / 1e6);
        }
    }

    static void report(String name, long records, double seconds) {
        System.out.printf("%-62s %,12.0f records/s  (%,.0f MB/s of values)%n", name, records / seconds,
                records * 100 / seconds / 1e6);
    }

    static byte[] value100() {
        String json = "{\"v\":\"" + "x".repeat(100 - 8) + "\"}";
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        if (bytes.length != 100) {
            throw new IllegalStateException("value is " + bytes.length + " bytes");
        }
        return bytes;
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
