package io.minimq.common.metrics;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * One host measurement, the value of every {@code metrics.*} record:
 * {@code {"node": "n1", "metric": "cpu", "timestamp": 1764860400123, "value": 12.5, "unit": "percent", "details": {...}}}.
 * {@code timestamp} is epoch milliseconds when the agent took the sample.
 */
@JsonPropertyOrder({"node", "metric", "timestamp", "value", "unit", "details"})
public record MetricSample(String node, String metric, long timestamp, double value, String unit,
        Map<String, Object> details) {

    public static final String PERCENT = "percent";
    public static final String BYTES_PER_SECOND = "bytes/s";
    public static final String LOAD = "load";

    public MetricSample {
        details = details == null ? Map.of() : details;
    }
}
