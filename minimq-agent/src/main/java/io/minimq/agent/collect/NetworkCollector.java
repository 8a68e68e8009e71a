package io.minimq.agent.collect;

import io.minimq.common.metrics.MetricSample;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Network throughput in bytes/s over the interval since the previous tick ({@code value} = received
 * + sent). A counter that went backwards (an interface was removed or reset) counts as 0 for that
 * interval. The first call only records the counters.
 */
public final class NetworkCollector implements MetricCollector {

    private final NetworkCounters counters;
    private final String node;
    private final Clock clock;
    private NetworkCounters.Totals previous;
    private long previousAt;

    public NetworkCollector(NetworkCounters counters, String node, Clock clock) {
        this.counters = counters;
        this.node = node;
        this.clock = clock;
    }

    @Override
    public String metric() {
        return "net";
    }

    @Override
    public synchronized Optional<MetricSample> collect() {
        long takenAt = clock.millis();
        NetworkCounters.Totals now = counters.read();
        NetworkCounters.Totals before = previous;
        long elapsedMillis = takenAt - previousAt;
        previous = now;
        previousAt = takenAt;
        if (before == null || elapsedMillis <= 0) {
            return Optional.empty();
        }
        double rx = perSecond(now.rxBytes() - before.rxBytes(), elapsedMillis);
        double tx = perSecond(now.txBytes() - before.txBytes(), elapsedMillis);
        return Optional.of(new MetricSample(node, metric(), takenAt, rx + tx, MetricSample.BYTES_PER_SECOND,
                Map.of("rxBytesPerSec", rx, "txBytesPerSec", tx)));
    }

    private static double perSecond(long bytes, long millis) {
        return bytes <= 0 ? 0 : Math.round(bytes * 100_000.0 / millis) / 100.0;
    }
}
