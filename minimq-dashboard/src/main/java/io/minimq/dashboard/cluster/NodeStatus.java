package io.minimq.dashboard.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One node as {@code GET /api/nodes} shows it: {@code status} is {@code live} or {@code stale}
 * (no sample for {@code stale-after}), {@code lastSeen} the broker time (epoch ms) of its latest
 * sample, and the latest value of each metric (null when the node never sent it).
 */
@JsonPropertyOrder({"node", "status", "lastSeen", "cpu", "mem", "disk", "net", "load"})
@JsonInclude(JsonInclude.Include.ALWAYS)
public record NodeStatus(String node, String status, long lastSeen, Double cpu, Double mem, Double disk, Double net,
        Double load) {

    public static final String LIVE = "live";
    public static final String STALE = "stale";
}
