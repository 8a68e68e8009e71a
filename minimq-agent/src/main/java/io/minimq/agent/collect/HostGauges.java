package io.minimq.agent.collect;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.minimq.common.metrics.MetricSample;
import java.util.List;

/**
 * The latest host values as Micrometer gauges, so Prometheus can scrape an agent directly:
 * {@code minimq_host_cpu_percent{node}}, {@code minimq_host_memory_used_percent{node}},
 * {@code minimq_host_disk_used_percent{node,mount}},
 * {@code minimq_host_network_bytes_per_second{node,direction="rx"|"tx"}}, {@code minimq_host_load1{node}}.
 * A gauge reads NaN until its collector has reported.
 *
 * <p>Thread-safe: values are volatile, written by the collectors and read by the scrape.
 */
public final class HostGauges {

    private final String node;
    private final MultiGauge disk;
    private volatile double cpu = Double.NaN;
    private volatile double memory = Double.NaN;
    private volatile double rx = Double.NaN;
    private volatile double tx = Double.NaN;
    private volatile double load1 = Double.NaN;

    public HostGauges(MeterRegistry registry, String node) {
        this.node = node;
        Gauge.builder("minimq.host.cpu.percent", this, g -> g.cpu).tag("node", node)
                .description("CPU busy % of the whole host over the last interval").register(registry);
        Gauge.builder("minimq.host.memory.used.percent", this, g -> g.memory).tag("node", node)
                .description("Memory used %: (total - available) / total").register(registry);
        Gauge.builder("minimq.host.network.bytes.per.second", this, g -> g.rx).tags("node", node, "direction", "rx")
                .description("Network bytes per second, loopback excluded").register(registry);
        Gauge.builder("minimq.host.network.bytes.per.second", this, g -> g.tx).tags("node", node, "direction", "tx")
                .description("Network bytes per second, loopback excluded").register(registry);
        Gauge.builder("minimq.host.load1", this, g -> g.load1).tag("node", node)
                .description("1-minute load average").register(registry);
        this.disk = MultiGauge.builder("minimq.host.disk.used.percent")
                .description("Used % of each mounted filesystem").register(registry);
    }

    /** Takes the values of a sample just collected. */
    public void record(MetricSample sample) {
        switch (sample.metric()) {
            case "cpu" -> cpu = sample.value();
            case "mem" -> memory = sample.value();
            case "load" -> load1 = sample.value();
            case "net" -> {
                rx = number(sample.details().get("rxBytesPerSec"));
                tx = number(sample.details().get("txBytesPerSec"));
            }
            case "disk" -> recordDisk(sample.details().get("mounts"));
            default -> {
            }
        }
    }

    private void recordDisk(Object mounts) {
        if (mounts instanceof List<?> list) {
            disk.register(list.stream().filter(DiskCollector.Mount.class::isInstance)
                    .map(DiskCollector.Mount.class::cast)
                    .map(m -> MultiGauge.Row.of(Tags.of("node", node, "mount", m.mount()), m.percent()))
                    .toList(), true);
        }
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
