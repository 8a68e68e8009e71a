package io.minimq.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;

import io.minimq.common.metrics.MetricSample;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * Host mode: with {@code minimq.agent.host-proc} pointing at a {@code /proc} tree, the collectors
 * report that tree's host, not this one. A fake tree with known counters goes in, exact figures
 * come out. The collectors run in a child JVM ({@link FakeHostProbe}) since OSHI fixes its
 * {@code /proc} location once per JVM.
 */
class HostModeTests {

    @TempDir
    static Path host;

    private static Map<String, MetricSample> samples;

    @BeforeAll
    static void runCollectorsAgainstAFakeHost() throws Exception {
        Path proc = host.resolve("proc");
        Files.createDirectories(proc.resolve("1/net"));
        Files.createDirectories(proc.resolve("net"));
        Files.createDirectories(host.resolve("sys"));
        write(proc.resolve("cpuinfo"), """
                processor	: 0
                vendor_id	: GenuineIntel
                physical id	: 0
                core id		: 0
                cpu cores	: 2

                processor	: 1
                vendor_id	: GenuineIntel
                physical id	: 0
                core id		: 1
                cpu cores	: 2
                """);
        // user nice system idle iowait irq softirq steal guest guest_nice
        write(proc.resolve("stat"), """
                cpu  100 0 100 800 0 0 0 0 0 0
                cpu0 50 0 50 400 0 0 0 0 0 0
                cpu1 50 0 50 400 0 0 0 0 0 0
                ctxt 1000
                btime 1764860000
                processes 100
                procs_running 1
                procs_blocked 0
                """);
        // host: +150 user, +50 system, +100 idle, +100 iowait = 400 ticks, 200 of them idle: 50 %
        // cpu0: +100 user, +50 system, +50 idle: 75 %; cpu1: +50 user, +150 idle: 25 %
        write(proc.resolve("stat.second"), """
                cpu  250 0 150 900 100 0 0 0 0 0
                cpu0 150 0 100 450 0 0 0 0 0 0
                cpu1 100 0 50 550 0 0 0 0 0 0
                ctxt 2000
                btime 1764860000
                processes 120
                procs_running 1
                procs_blocked 0
                """);
        write(proc.resolve("meminfo"), """
                MemTotal:        8000000 kB
                MemFree:         1000000 kB
                MemAvailable:    2000000 kB
                Buffers:          100000 kB
                Cached:           900000 kB
                SwapTotal:       1000000 kB
                SwapFree:         750000 kB
                """);
        write(proc.resolve("loadavg"), "1.50 0.75 0.25 2/345 6789\n");
        String header = """
                Inter-|   Receive                                                |  Transmit
                 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                """;
        // the host's network namespace (its init process): loopback is left out
        write(proc.resolve("1/net/dev"), header + """
                    lo: 999999 10 0 0 0 0 0 0 999999 10 0 0 0 0 0 0
                  eth0: 1000000 100 0 0 0 0 0 0 500000 50 0 0 0 0 0 0
                  eth1:       0   0 0 0 0 0 0 0      0  0 0 0 0 0 0 0
                """);
        // 5 s later: eth0 +250000 rx, +50000 tx; eth1 +5000 rx
        write(proc.resolve("1/net/dev.second"), header + """
                    lo: 9999999 10 0 0 0 0 0 0 9999999 10 0 0 0 0 0 0
                  eth0: 1250000 100 0 0 0 0 0 0 550000 50 0 0 0 0 0 0
                  eth1:    5000   0 0 0 0 0 0 0      0  0 0 0 0 0 0 0
                """);
        // what <host-proc>/net/dev shows in a container: the container's own namespace, never read
        write(proc.resolve("net/dev"), header + """
                  eth0: 7 0 0 0 0 0 0 0 7 0 0 0 0 0 0 0
                """);
        samples = runProbe(proc);
    }

    @Test
    void cpuIsTheFakeHostsBusyShareWithIowaitCountedAsIdle() {
        MetricSample cpu = samples.get("cpu");
        assertThat(cpu.node()).isEqualTo("fake");
        assertThat(cpu.timestamp()).isEqualTo(1_764_860_405_000L);
        assertThat(cpu.value()).isEqualTo(50.0);
        assertThat(cpu.details().get("perCore")).isEqualTo(List.of(75.0, 25.0));
    }

    @Test
    void memoryIsTotalMinusAvailableOfTheFakeHost() {
        MetricSample mem = samples.get("mem");
        assertThat(mem.value()).isEqualTo(75.0);
        assertThat(((Number) mem.details().get("totalBytes")).longValue()).isEqualTo(8_000_000L * 1024);
        assertThat(((Number) mem.details().get("availableBytes")).longValue()).isEqualTo(2_000_000L * 1024);
        assertThat(((Number) mem.details().get("swapUsedBytes")).longValue()).isEqualTo(250_000L * 1024);
    }

    @Test
    void networkIsTheHostNamespacesRateWithoutLoopback() {
        MetricSample net = samples.get("net");
        assertThat(net.details().get("rxBytesPerSec")).isEqualTo(51_000.0);
        assertThat(net.details().get("txBytesPerSec")).isEqualTo(10_000.0);
        assertThat(net.value()).isEqualTo(61_000.0);
    }

    @Test
    void loadIsTheFakeHostsLoadavg() {
        MetricSample load = samples.get("load");
        assertThat(load.value()).isEqualTo(1.5);
        assertThat(load.details()).isEqualTo(Map.of("load5", 0.75, "load15", 0.25));
    }

    private static Map<String, MetricSample> runProbe(Path proc) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Doshi.util.memoizer.expiration=0", // read the files on every call, not every 300 ms
                "-Doshi.os.linux.allowudev=false", // take the CPUs from the fake cpuinfo, not from udev
                "-cp", System.getProperty("java.class.path"),
                FakeHostProbe.class.getName(), proc.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        JsonMapper json = JsonMapper.builder().build();
        Map<String, MetricSample> byMetric = new LinkedHashMap<>();
        output.lines().filter(line -> line.startsWith("SAMPLE ")).map(line -> json.readValue(line.substring(7),
                MetricSample.class)).forEach(sample -> byMetric.put(sample.metric(), sample));
        assertThat(byMetric).as(output).containsOnlyKeys("cpu", "mem", "net", "load");
        return byMetric;
    }

    private static void write(Path file, String text) throws Exception {
        Files.writeString(file, text);
    }
}
