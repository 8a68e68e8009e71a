package io.minimq.agent.collect;

import io.minimq.common.metrics.MetricSample;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import oshi.hardware.GlobalMemory;

/**
 * Memory used % = (total - available) / total, where "available" is the kernel's estimate of
 * memory that can be given to new work without swapping ({@code MemAvailable} on Linux), so
 * page cache does not count as used.
 */
public final class MemoryCollector implements MetricCollector {

    private final GlobalMemory memory;
    private final String node;
    private final Clock clock;

    public MemoryCollector(GlobalMemory memory, String node, Clock clock) {
        this.memory = memory;
        this.node = node;
        this.clock = clock;
    }

    @Override
    public String metric() {
        return "mem";
    }

    @Override
    public Optional<MetricSample> collect() {
        long takenAt = clock.millis();
        long total = memory.getTotal();
        long available = memory.getAvailable();
        if (total <= 0) {
            return Optional.empty();
        }
        double used = Math.round((total - available) * 10_000.0 / total) / 100.0;
        return Optional.of(new MetricSample(node, metric(), takenAt, used, MetricSample.PERCENT,
                Map.of("totalBytes", total, "availableBytes", available,
                        "swapUsedBytes", memory.getVirtualMemory().getSwapUsed())));
    }
}
