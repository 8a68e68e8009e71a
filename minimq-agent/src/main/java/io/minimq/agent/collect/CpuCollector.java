package io.minimq.agent.collect;

import io.minimq.common.metrics.MetricSample;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import oshi.hardware.CentralProcessor;

/**
 * CPU busy % of the whole host and of each logical CPU since the previous tick, from the kernel's
 * tick counters ({@code /proc/stat} on Linux). Idle and I/O wait count as idle, as in OSHI.
 * The first call only records the counters.
 */
public final class CpuCollector implements MetricCollector {

    private final CentralProcessor processor;
    private final String node;
    private final Clock clock;
    private long[] previous;
    private long[][] previousPerCore;

    public CpuCollector(CentralProcessor processor, String node, Clock clock) {
        this.processor = processor;
        this.node = node;
        this.clock = clock;
    }

    @Override
    public String metric() {
        return "cpu";
    }

    @Override
    public synchronized Optional<MetricSample> collect() {
        long takenAt = clock.millis();
        long[] ticks = processor.getSystemCpuLoadTicks();
        long[][] perCoreTicks = processor.getProcessorCpuLoadTicks();
        long[] before = previous;
        long[][] perCoreBefore = previousPerCore;
        previous = ticks;
        previousPerCore = perCoreTicks;
        if (before == null) {
            return Optional.empty();
        }
        double busy = percent(processor.getSystemCpuLoadBetweenTicks(before, ticks));
        List<Double> perCore = new ArrayList<>(perCoreTicks.length);
        if (perCoreBefore.length == perCoreTicks.length) {
            for (double load : processor.getProcessorCpuLoadBetweenTicks(perCoreBefore, perCoreTicks)) {
                perCore.add(percent(load));
            }
        }
        return Optional.of(new MetricSample(node, metric(), takenAt, busy, MetricSample.PERCENT,
                Map.of("perCore", perCore)));
    }

    /** A 0..1 load as a percentage rounded to 0.01, clamped to 0..100. */
    static double percent(double fraction) {
        double clamped = Math.max(0, Math.min(1, Double.isNaN(fraction) ? 0 : fraction));
        return Math.round(clamped * 10_000) / 100.0;
    }
}
