package io.minimq.agent.collect;

import io.minimq.agent.system.HostPathsEnvironmentPostProcessor;
import io.minimq.common.metrics.MetricSample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import oshi.SystemInfo;
import oshi.hardware.HardwareAbstractionLayer;

/**
 * Runs in its own JVM (started by {@link HostModeTests}), because OSHI reads its {@code /proc}
 * location once per JVM. Configures host mode the way the app does (through
 * {@link HostPathsEnvironmentPostProcessor}) with {@code minimq.agent.host-proc} = the fake tree
 * given as the only argument, takes two ticks of every collector (the tree's "second" files are
 * moved in between and the clock advances exactly 5 s), and prints each second sample as one
 * JSON line.
 */
public final class FakeHostProbe {

    private FakeHostProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path proc = Path.of(args[0]);
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", Map.of(
                "minimq.agent.host-proc", proc.toString(),
                "minimq.agent.host-sys", proc.resolveSibling("sys").toString())));
        new HostPathsEnvironmentPostProcessor(destination -> destination.get())
                .postProcessEnvironment(environment, null);

        SteppingClock clock = new SteppingClock();
        HardwareAbstractionLayer hardware = new SystemInfo().getHardware();
        List<MetricCollector> collectors = List.of(
                new CpuCollector(hardware.getProcessor(), "fake", clock),
                new MemoryCollector(hardware.getMemory(), "fake", clock),
                new NetworkCollector(NetworkCounters.forHost(hardware), "fake", clock),
                LoadCollector.forHost(hardware.getProcessor(), "fake", clock));
        collectors.forEach(MetricCollector::collect);

        for (String second : List.of("stat", "1/net/dev")) {
            Files.move(proc.resolve(second + ".second"), proc.resolve(second),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        clock.advanceMillis(5_000);
        List<MetricSample> samples = new ArrayList<>();
        collectors.forEach(c -> samples.add(c.collect().orElseThrow()));
        tools.jackson.databind.json.JsonMapper json = tools.jackson.databind.json.JsonMapper.builder().build();
        for (MetricSample sample : samples) {
            System.out.println("SAMPLE " + json.writeValueAsString(sample));
        }
    }

    /** A clock that stands still until told to move. */
    static final class SteppingClock extends Clock {

        private volatile long millis = 1_764_860_400_000L;

        void advanceMillis(long delta) {
            millis += delta;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
