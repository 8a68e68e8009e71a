package io.minimq.broker.log;

import io.minimq.broker.storage.AppendResult;
import io.minimq.broker.storage.NewRecord;
import io.minimq.broker.storage.ReadResult;
import io.minimq.broker.storage.StoredRecord;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Many producers and readers on one topic: no lost, duplicated, reordered or partial records. */
class LogConcurrencyTests {

    private static final int PRODUCERS = 6;
    private static final int BATCHES_PER_PRODUCER = 150;
    private static final int READERS = 3;
    private static final Pattern VALUE = Pattern.compile("\\{\"p\":(\\d+),\"b\":(\\d+),\"i\":(\\d+),\"n\":(\\d+),\"pad\":\"x*\"}");

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(FlushPolicy.class)
    void concurrentProducersAndReadersSeeOneGapFreeOrder(FlushPolicy policy) throws Exception {
        LogConfig config = LogConfig.defaults(dir).withSegmentBytes(32 * 1024).withIndexIntervalBytes(512)
                .withFlush(policy, Duration.ofMillis(50));
        int total;
        try (LogStorage storage = new LogStorage(config)) {
            storage.createOrUpdateTopic("t", null);
            ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS + READERS);
            Map<Long, AppendResult> acks = new ConcurrentHashMap<>();
            CountDownLatch producersDone = new CountDownLatch(PRODUCERS);
            List<Future<?>> producers = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                int producer = p;
                producers.add(pool.submit(() -> {
                    try {
                        for (int b = 0; b < BATCHES_PER_PRODUCER; b++) {
                            int n = 1 + ThreadLocalRandom.current().nextInt(8);
                            AppendResult r = storage.append("t", batch(producer, b, n), null, false);
                            acks.put(r.baseOffset(), r);
                        }
                    } finally {
                        producersDone.countDown();
                    }
                    return null;
                }));
            }
            List<Future<List<StoredRecord>>> readers = new ArrayList<>();
            for (int r = 0; r < READERS; r++) {
                readers.add(pool.submit(() -> follow(storage, producersDone)));
            }
            for (Future<?> f : producers) {
                f.get(2, TimeUnit.MINUTES);
            }
            total = acks.values().stream().mapToInt(AppendResult::count).sum();
            List<StoredRecord> all = storage.read("t", 0, total + 10, Integer.MAX_VALUE).records();
            assertThat(all).hasSize(total);
            checkLog(all, acks);
            for (Future<List<StoredRecord>> reader : readers) {
                List<StoredRecord> seen = reader.get(2, TimeUnit.MINUTES);
                assertThat(seen).hasSize(total);
                for (int i = 0; i < total; i++) {
                    assertThat(seen.get(i).offset()).isEqualTo(i);
                    assertThat(seen.get(i).value()).isEqualTo(all.get(i).value());
                }
            }
            pool.shutdown();
        }
        try (LogStorage reopened = new LogStorage(config)) {
            assertThat(reopened.topic("t").orElseThrow().endOffset()).isEqualTo(total);
        }
    }

    /** Reads from offset 0 in small steps, long-polling at the end, until producers are done and all is read. */
    private static List<StoredRecord> follow(LogStorage storage, CountDownLatch producersDone) throws Exception {
        List<StoredRecord> seen = new ArrayList<>();
        long next = 0;
        while (true) {
            ReadResult r = storage.read("t", next, 1 + ThreadLocalRandom.current().nextInt(50), 64 * 1024);
            assertThat(r.nextOffset()).isEqualTo(next + r.records().size());
            for (StoredRecord record : r.records()) {
                assertThat(record.offset()).isEqualTo(next++);
                assertThat(VALUE.matcher(new String(record.value(), StandardCharsets.UTF_8)).matches()).isTrue();
                seen.add(record);
            }
            if (r.records().isEmpty()) {
                if (producersDone.getCount() == 0 && next == storage.topic("t").orElseThrow().endOffset()) {
                    return seen;
                }
                storage.awaitData("t", next, Duration.ofMillis(20)).get(5, TimeUnit.SECONDS);
            }
        }
    }

    /** Each batch is contiguous at the offsets its append returned, each producer's batches in order. */
    private static void checkLog(List<StoredRecord> all, Map<Long, AppendResult> acks) {
        int[] lastBatch = new int[PRODUCERS];
        java.util.Arrays.fill(lastBatch, -1);
        for (AppendResult ack : acks.values()) {
            Integer producer = null;
            Integer batchNo = null;
            for (int i = 0; i < ack.count(); i++) {
                Matcher m = VALUE.matcher(new String(all.get((int) ack.baseOffset() + i).value(), StandardCharsets.UTF_8));
                assertThat(m.matches()).isTrue();
                if (producer == null) {
                    producer = Integer.valueOf(m.group(1));
                    batchNo = Integer.valueOf(m.group(2));
                }
                assertThat(Integer.valueOf(m.group(1))).isEqualTo(producer);
                assertThat(Integer.valueOf(m.group(2))).isEqualTo(batchNo);
                assertThat(Integer.parseInt(m.group(3))).isEqualTo(i);
                assertThat(Integer.parseInt(m.group(4))).isEqualTo(ack.count());
            }
        }
        for (StoredRecord r : all) {
            Matcher m = VALUE.matcher(new String(r.value(), StandardCharsets.UTF_8));
            assertThat(m.matches()).isTrue();
            int p = Integer.parseInt(m.group(1));
            int b = Integer.parseInt(m.group(2));
            assertThat(b).isGreaterThanOrEqualTo(lastBatch[p]);
            lastBatch[p] = b;
        }
        assertThat(lastBatch).containsOnly(BATCHES_PER_PRODUCER - 1);
    }

    private static List<NewRecord> batch(int producer, int batchNo, int n) {
        List<NewRecord> records = new ArrayList<>(n);
        String pad = "x".repeat(ThreadLocalRandom.current().nextInt(200));
        for (int i = 0; i < n; i++) {
            String value = "{\"p\":" + producer + ",\"b\":" + batchNo + ",\"i\":" + i + ",\"n\":" + n + ",\"pad\":\"" + pad + "\"}";
            records.add(new NewRecord("k" + producer, Map.of("b", String.valueOf(batchNo)), value.getBytes(StandardCharsets.UTF_8)));
        }
        return records;
    }
}
