package io.minimq.agent.collect;

import io.minimq.agent.system.HostPaths;
import io.minimq.common.metrics.MetricSample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import oshi.PlatformEnum;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;

/**
 * The 1, 5 and 15 minute load averages. On Linux they are read from {@code /proc/loadavg} of the
 * {@code /proc} in use (the host's in host mode); OSHI asks libc's {@code getloadavg}, which would
 * ignore a host {@code /proc}. Elsewhere OSHI's value; platforms without load averages (Windows)
 * report nothing.
 */
public final class LoadCollector implements MetricCollector {

    private final Supplier<double[]> loadAverages;
    private final String node;
    private final Clock clock;

    LoadCollector(Supplier<double[]> loadAverages, String node, Clock clock) {
        this.loadAverages = loadAverages;
        this.node = node;
        this.clock = clock;
    }

    /** The load averages of this host (or of the host whose {@code /proc} is mounted in host mode). */
    public static LoadCollector forHost(CentralProcessor processor, String node, Clock clock) {
        if (SystemInfo.getCurrentPlatform() == PlatformEnum.LINUX) {
            Path loadavg = HostPaths.proc().resolve("loadavg");
            return new LoadCollector(() -> parse(loadavg), node, clock);
        }
        return new LoadCollector(() -> processor.getSystemLoadAverage(3), node, clock);
    }

    @Override
    public String metric() {
        return "load";
    }

    @Override
    public Optional<MetricSample> collect() {
        long takenAt = clock.millis();
        double[] load = loadAverages.get();
        if (load[0] < 0) {
            return Optional.empty();
        }
        return Optional.of(new MetricSample(node, metric(), takenAt, load[0], MetricSample.LOAD,
                Map.of("load5", load[1], "load15", load[2])));
    }

    /** {@code /proc/loadavg}: {@code "0.52 0.58 0.59 2/1234 5678"}; the first three fields. */
    static double[] parse(Path loadavg) {
        try {
            String[] fields = Files.readString(loadavg).strip().split("\\s+");
            return new double[] {Double.parseDouble(fields[0]), Double.parseDouble(fields[1]),
                    Double.parseDouble(fields[2])};
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + loadavg, e);
        }
    }
}
