package io.minimq.agent.collect;

import io.minimq.common.metrics.MetricSample;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import oshi.hardware.CentralProcessor;

/**
 * The 1, 5 and 15 minute load averages ({@code /proc/loadavg} on Linux). Platforms without load
 * averages (Windows) report nothing.
 */
public final class LoadCollector implements MetricCollector {

    private final CentralProcessor processor;
    private final String node;
    private final Clock clock;

    public LoadCollector(CentralProcessor processor, String node, Clock clock) {
        this.processor = processor;
        this.node = node;
        this.clock = clock;
    }

    @Override
    public String metric() {
        return "load";
    }

    @Override
    public Optional<MetricSample> collect() {
        long takenAt = clock.millis();
        double[] load = processor.getSystemLoadAverage(3);
        if (load[0] < 0) {
            return Optional.empty();
        }
        return Optional.of(new MetricSample(node, metric(), takenAt, load[0], MetricSample.LOAD,
                Map.of("load5", load[1], "load15", load[2])));
    }
}
