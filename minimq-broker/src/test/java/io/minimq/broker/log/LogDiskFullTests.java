package io.minimq.broker.log;

import io.minimq.broker.storage.StorageFullException;
import io.minimq.broker.storage.StoredRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.minimq.broker.log.LogStorageTests.batch;
import static io.minimq.broker.log.LogStorageTests.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A really full disk (a 2 MiB tmpfs) and a really read-only one (the tmpfs remounted
 * read-only). Mounting needs root: without it these tests are skipped, saying why.
 */
class LogDiskFullTests {

    @TempDir
    Path parent;

    private Path mount;
    private boolean mounted;

    @BeforeEach
    void mountSmallTmpfs() throws Exception {
        mount = Files.createDirectory(parent.resolve("small"));
        int rc = run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount.toString());
        mounted = rc == 0;
        assumeTrue(mounted, "skipped: cannot mount a 2 MiB tmpfs (needs root), so no real disk-full condition");
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            run("chattr", "-R", "-i", mount.toString());
            run("umount", "-l", mount.toString());
        }
    }

    @Test
    void aFullDiskRefusesAppendsCleanlyAndTheyResumeWhenSpaceIsBack() throws IOException {
        Path data = mount.resolve("data");
        LogConfig config = LogConfig.defaults(data).withFlush(FlushPolicy.INTERVAL, Duration.ofHours(1));
        Path filler = mount.resolve("filler");
        long acknowledged;
        try (LogStorage storage = new LogStorage(config)) {
            Files.write(filler, new byte[1024 * 1024]);
            int next = 0;
            StorageFullException full = null;
            while (full == null) {
                try {
                    next += (int) storage.append("t", batch(next, 50), null, true).count();
                } catch (StorageFullException e) {
                    full = e;
                }
            }
            acknowledged = next;
            assertThat(full.getMessage()).contains("topic 't'").doesNotContain(data.toString());
            assertThat(storage.topic("t").orElseThrow().endOffset()).isEqualTo(acknowledged);
            assertThatThrownBy(() -> storage.append("t", batch((int) acknowledged, 50), null, true))
                    .isInstanceOf(StorageFullException.class);
            // nothing half-written is visible, and the file holds only whole batches
            assertThat(storage.read("t", 0, 100_000, Integer.MAX_VALUE).records()).extracting(StoredRecord::offset)
                    .containsExactlyElementsOf(range(0, acknowledged));
            assertThat(Files.size(data.resolve("t").resolve("00000000000000000000.log")))
                    .isEqualTo(storage.topic("t").orElseThrow().sizeBytes());

            Files.delete(filler); // space is back: appends work again without a restart
            assertThat(storage.append("t", batch((int) acknowledged, 50), null, true).baseOffset()).isEqualTo(acknowledged);
            storage.commitOffset("g", "t", 5);
        }
        try (LogStorage storage = new LogStorage(config)) {
            assertThat(storage.topic("t").orElseThrow().endOffset()).isEqualTo(acknowledged + 50);
            assertThat(storage.read("t", 0, 100_000, Integer.MAX_VALUE).records()).hasSize((int) acknowledged + 50);
            assertThat(storage.committedOffset("g", "t")).hasValue(5);
        }
    }

    @Test
    void anUnwritableDirectoryGivesAClearErrorAndNotReady() throws Exception {
        Path data = mount.resolve("data");
        LogConfig config = LogConfig.defaults(data).withSegmentBytes(4096).withFlush(FlushPolicy.ALWAYS, Duration.ofHours(1));
        try (LogStorage storage = new LogStorage(config)) {
            storage.append("t", batch(0, 10), null, true);
            assertThat(storage.isReady()).isTrue();
            // chattr +i: not even root may add or rename entries in these directories
            assumeTrue(run("chattr", "+i", data.toString(), data.resolve("t").toString()) == 0,
                    "skipped: chattr +i is not supported here");
            long end;
            try {
                assertThat(storage.isReady()).isFalse();
                assertThatThrownBy(() -> storage.append("new-topic", batch(0, 1), null, true))
                        .isInstanceOf(StorageFullException.class).hasMessageNotContaining(data.toString());
                // fill the segment until it must roll into a new file, which cannot be created
                StorageFullException full = null;
                while (full == null) {
                    try {
                        storage.append("t", batch(0, 5), null, false);
                    } catch (StorageFullException e) {
                        full = e;
                    }
                }
                end = storage.topic("t").orElseThrow().endOffset();
                assertThat(storage.read("t", 0, 10_000, Integer.MAX_VALUE).records()).hasSize((int) end);
            } finally {
                assertThat(run("chattr", "-i", data.toString(), data.resolve("t").toString())).isZero();
            }
            assertThat(storage.isReady()).isTrue();
            assertThat(storage.append("t", batch(0, 5), null, false).baseOffset()).isEqualTo(end);
            assertThat(storage.append("new-topic", batch(0, 1), null, true).baseOffset()).isZero();
            assertThat(storage.topic("t").orElseThrow().segments()).isGreaterThan(1);
        }
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
