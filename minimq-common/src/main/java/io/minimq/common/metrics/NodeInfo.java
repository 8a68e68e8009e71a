package io.minimq.common.metrics;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What an agent says about its node when it starts, the value of a {@code nodes} record:
 * {@code {"node", "os", "cpuCount", "memTotalBytes", "agentVersion", "startedAt"}};
 * {@code startedAt} is epoch milliseconds.
 */
@JsonPropertyOrder({"node", "os", "cpuCount", "memTotalBytes", "agentVersion", "startedAt"})
public record NodeInfo(String node, String os, int cpuCount, long memTotalBytes, String agentVersion,
        long startedAt) {
}
