package io.minimq.broker.log;

import io.minimq.broker.storage.AppendResult;
import io.minimq.broker.storage.NewRecord;
import io.minimq.broker.storage.ProducerSeq;
import io.minimq.broker.storage.StoredRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A child JVM appends in a loop and is killed with SIGKILL at a random moment, 20 times on the
 * same data directory: every append it acknowledged is there after restart, every record
 * passes its CRC, the committed offset and the producer state survived.
 */
class LogCrashTests {

    private static final Pattern ACK = Pattern.compile("ACK (\\d+) (\\d+) (\\d+)");
    private static final Pattern VALUE = Pattern.compile("\\{\"seq\":(\\d+),\"i\":(\\d+),\"n\":(\\d+),.*");

    @TempDir
    Path dir;

    private record Ack(long seq, long base, int count) {
    }

    @Test
    void everyAcknowledgedAppendSurvivesKillDashNine() throws Exception {
        Random random = new Random();
        long nextSeq = 0;
        long totalAcked = 0;
        for (int run = 0; run < 20; run++) {
            FlushPolicy policy = run % 2 == 0 ? FlushPolicy.INTERVAL : FlushPolicy.ALWAYS;
            List<Ack> acks = runAndKill(policy, nextSeq, 100 + random.nextInt(700));
            assertThat(acks).as("run %d acknowledged appends", run).isNotEmpty();
            totalAcked += acks.size();
            nextSeq = verify(acks) + 1;
        }
        assertThat(totalAcked).isGreaterThan(20);
    }

    /** Starts the child, lets it append for about {@code millis} after its first ack, kills it. */
    private List<Ack> runAndKill(FlushPolicy policy, long firstSeq, long millis) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx96m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), CrashingAppender.class.getName(), dir.toString(), policy.name(),
                Long.toString(firstSeq)).redirectErrorStream(true).start();
        Queue<Ack> acks = new ConcurrentLinkedQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    Matcher m = ACK.matcher(line);
                    if (m.matches()) { // a line cut by the kill does not match: it was not acknowledged
                        acks.add(new Ack(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Integer.parseInt(m.group(3))));
                    }
                }
            } catch (java.io.IOException e) {
                // the stream closes when the child dies
            }
        });
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (acks.isEmpty() && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(child.isAlive()).as("child still appending").isTrue();
        Thread.sleep(millis);
        child.destroyForcibly(); // SIGKILL on Linux
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        reader.join(30_000);
        return new ArrayList<>(acks);
    }

    /** Checks the log after a kill; returns the sequence of the last batch in it. */
    private long verify(List<Ack> acks) {
        LogConfig config = LogConfig.defaults(dir).withSegmentBytes(16 * 1024);
        try (LogStorage storage = new LogStorage(config)) {
            long end = storage.topic("t").orElseThrow().endOffset();
            List<StoredRecord> all = new ArrayList<>();
            for (long next = 0; next < end; ) { // every read checks every CRC
                List<StoredRecord> chunk = storage.read("t", next, 10_000, Integer.MAX_VALUE).records();
                all.addAll(chunk);
                next += chunk.size();
            }
            assertThat(all).hasSize((int) end);
            for (Ack ack : acks) {
                assertThat(ack.base() + ack.count()).as("ack %s within the log", ack).isLessThanOrEqualTo(end);
                for (int i = 0; i < ack.count(); i++) {
                    StoredRecord r = all.get((int) (ack.base() + i));
                    assertThat(new String(r.value(), StandardCharsets.UTF_8))
                            .isEqualTo(CrashingAppender.value(ack.seq(), i, ack.count()));
                }
            }
            Matcher last = VALUE.matcher(new String(all.get(all.size() - 1).value(), StandardCharsets.UTF_8));
            assertThat(last.matches()).isTrue();
            long lastSeq = Long.parseLong(last.group(1));
            int n = Integer.parseInt(last.group(3));
            assertThat(Integer.parseInt(last.group(2))).as("the last batch is whole").isEqualTo(n - 1);

            Ack lastAck = acks.get(acks.size() - 1);
            assertThat(storage.committedOffset("g", "t").orElseThrow()).isGreaterThanOrEqualTo(lastAck.base() + lastAck.count());
            AppendResult retry = storage.append("t", List.of(new NewRecord(null, null, "1".getBytes(StandardCharsets.UTF_8))),
                    new ProducerSeq(CrashingAppender.PRODUCER, lastSeq), false);
            assertThat(retry).isEqualTo(new AppendResult(end - n, n, true));
            return lastSeq;
        }
    }
}
