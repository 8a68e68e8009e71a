package io.minimq.common;

import java.util.List;

/** The topics the agent writes and the dashboard follows. */
public final class Topics {

    public static final String METRICS_PREFIX = "metrics.";
    public static final String CPU = "metrics.cpu";
    public static final String MEM = "metrics.mem";
    public static final String DISK = "metrics.disk";
    public static final String NET = "metrics.net";
    public static final String LOAD = "metrics.load";
    public static final String NODES = "nodes";

    /** Every metrics topic, in the order the dashboard shows them. */
    public static final List<String> METRICS = List.of(CPU, MEM, DISK, NET, LOAD);

    private Topics() {
    }

    /** The topic a metric name ({@code cpu}, {@code mem}, ...) is published on. */
    public static String forMetric(String metric) {
        return METRICS_PREFIX + metric;
    }

    /** The metric name of a metrics topic ({@code metrics.cpu} gives {@code cpu}), or null. */
    public static String metricOf(String topic) {
        return topic != null && topic.startsWith(METRICS_PREFIX) ? topic.substring(METRICS_PREFIX.length()) : null;
    }
}
