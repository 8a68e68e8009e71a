package io.minimq.broker.log;

import io.minimq.broker.storage.AppendResult;
import io.minimq.broker.storage.NewRecord;
import io.minimq.broker.storage.ProducerSeq;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A child process for {@link LogCrashTests}: appends idempotent batches and commits group
 * offsets in a loop, printing {@code ACK seq base count} after each acknowledged append, until
 * it is killed. Arguments: data dir, flush policy, first sequence number.
 */
public final class CrashingAppender {

    static final String PRODUCER = "crash-producer";

    private CrashingAppender() {
    }

    public static void main(String[] args) {
        Path dataDir = Path.of(args[0]);
        FlushPolicy policy = FlushPolicy.valueOf(args[1]);
        long seq = Long.parseLong(args[2]);
        LogConfig config = LogConfig.defaults(dataDir).withSegmentBytes(16 * 1024).withIndexIntervalBytes(512)
                .withFlush(policy, Duration.ofMillis(100));
        LogStorage storage = new LogStorage(config);
        Random random = new Random();
        System.out.println("READY");
        while (true) {
            int n = 1 + random.nextInt(5);
            List<NewRecord> batch = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                batch.add(new NewRecord("k", null, value(seq, i, n).getBytes(StandardCharsets.UTF_8)));
            }
            AppendResult r = storage.append("t", batch, new ProducerSeq(PRODUCER, seq), true);
            storage.commitOffset("g", "t", r.lastOffset() + 1);
            System.out.println("ACK " + seq + " " + r.baseOffset() + " " + r.count());
            seq++;
        }
    }

    static String value(long seq, int i, int n) {
        return "{\"seq\":" + seq + ",\"i\":" + i + ",\"n\":" + n + ",\"pad\":\"" + "p".repeat(60) + "\"}";
    }
}
