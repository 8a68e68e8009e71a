package io.minimq.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;

import io.minimq.common.metrics.MetricSample;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import oshi.SystemInfo;
import oshi.hardware.HardwareAbstractionLayer;

/** Every collector against the real host this test runs on, through OSHI. */
class CollectorsTests {

    private static final SystemInfo SYSTEM = new SystemInfo();
    private static final HardwareAbstractionLayer HARDWARE = SYSTEM.getHardware();
    private final Clock clock = Clock.systemUTC();

    @Test
    void cpuReportsTheWholeHostAndEveryLogicalCpuFromTheSecondTickOn() throws Exception {
        CpuCollector cpu = new CpuCollector(HARDWARE.getProcessor(), "n1", clock);
        assertThat(cpu.collect()).as("the first tick only records the counters").isEmpty();
        busyFor(1100);
        MetricSample sample = cpu.collect().orElseThrow();
        assertThat(sample.node()).isEqualTo("n1");
        assertThat(sample.metric()).isEqualTo("cpu");
        assertThat(sample.unit()).isEqualTo(MetricSample.PERCENT);
        assertThat(sample.value()).isBetween(0.0, 100.0);
        List<?> perCore = (List<?>) sample.details().get("perCore");
        assertThat(perCore).hasSize(HARDWARE.getProcessor().getLogicalProcessorCount());
        assertThat(perCore).allSatisfy(p -> assertThat((Double) p).isBetween(0.0, 100.0));
    }

    @Test
    void memoryIsUsedShareOfTotal() {
        MetricSample sample = new MemoryCollector(HARDWARE.getMemory(), "n1", clock).collect().orElseThrow();
        long total = (Long) sample.details().get("totalBytes");
        long available = (Long) sample.details().get("availableBytes");
        assertThat(total).isEqualTo(HARDWARE.getMemory().getTotal()).isPositive();
        assertThat(available).isBetween(0L, total);
        assertThat((Long) sample.details().get("swapUsedBytes")).isNotNegative();
        assertThat(sample.value()).isStrictlyBetween(0.0, 100.0);
        assertThat(sample.unit()).isEqualTo(MetricSample.PERCENT);
    }

    @Test
    void diskReportsRootAndRealMountsOnly() throws Exception {
        MetricSample sample = new DiskCollector(SYSTEM.getOperatingSystem().getFileSystem(), null, "n1", clock)
                .collect().orElseThrow();
        List<DiskCollector.Mount> mounts = mounts(sample);
        assertThat(mounts).extracting(DiskCollector.Mount::mount).contains("/").doesNotHaveDuplicates()
                .noneMatch(m -> m.startsWith("/proc") || m.startsWith("/sys"));
        assertThat(mounts).allSatisfy(m -> {
            assertThat(m.totalBytes()).isPositive();
            assertThat(m.usedBytes()).isBetween(0L, m.totalBytes());
            assertThat(m.percent()).isBetween(0.0, 100.0);
        });
        DiskCollector.Mount root = mounts.get(0);
        assertThat(root.mount()).isEqualTo("/");
        assertThat(sample.value()).isEqualTo(root.percent());
        assertThat(root.totalBytes()).isEqualTo(Files.getFileStore(Path.of("/")).getTotalSpace());
    }

    @Test
    void withAHostRootTheRootFilesystemIsTheOneHoldingIt(@TempDir Path hostRoot) throws Exception {
        MetricSample sample = new DiskCollector(SYSTEM.getOperatingSystem().getFileSystem(), hostRoot, "n1", clock)
                .collect().orElseThrow();
        FileStore store = Files.getFileStore(hostRoot);
        DiskCollector.Mount root = mounts(sample).get(0);
        assertThat(root.mount()).isEqualTo("/");
        assertThat(root.totalBytes()).isEqualTo(store.getTotalSpace());
        assertThat(mounts(sample)).as("nothing of this machine's mount table lies below the fake host root")
                .hasSize(1);
    }

    @Test
    void networkIsARateFromTheSecondTickOn() throws Exception {
        NetworkCollector net = new NetworkCollector(NetworkCounters.forHost(HARDWARE), "n1", clock);
        assertThat(net.collect()).isEmpty();
        Thread.sleep(50);
        MetricSample sample = net.collect().orElseThrow();
        double rx = (Double) sample.details().get("rxBytesPerSec");
        double tx = (Double) sample.details().get("txBytesPerSec");
        assertThat(rx).isNotNegative();
        assertThat(tx).isNotNegative();
        assertThat(sample.value()).isEqualTo(rx + tx);
        assertThat(sample.unit()).isEqualTo(MetricSample.BYTES_PER_SECOND);
    }

    @Test
    void loadAveragesAreThoseOfTheKernel() {
        MetricSample sample = LoadCollector.forHost(HARDWARE.getProcessor(), "n1", clock).collect().orElseThrow();
        assertThat(sample.value()).isNotNegative();
        assertThat(sample.details()).containsOnlyKeys("load5", "load15");
        assertThat((Double) sample.details().get("load15")).isNotNegative();
    }

    @SuppressWarnings("unchecked")
    private static List<DiskCollector.Mount> mounts(MetricSample sample) {
        return (List<DiskCollector.Mount>) sample.details().get("mounts");
    }

    /** Keeps one core busy for a while so the CPU interval has ticks in it. */
    private static void busyFor(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        double x = 0;
        while (System.nanoTime() < end) {
            x += Math.sqrt(x + 1);
        }
        assertThat(x).isPositive();
    }
}
