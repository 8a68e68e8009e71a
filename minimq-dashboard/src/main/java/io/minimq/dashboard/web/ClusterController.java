package io.minimq.dashboard.web;

import io.minimq.dashboard.DashboardProperties;
import io.minimq.dashboard.cluster.NodeRegistry;
import io.minimq.dashboard.cluster.NodeStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The cluster's latest state as JSON, and the settings the cluster page needs. */
@RestController
class ClusterController {

    private final NodeRegistry nodes;
    private final DashboardProperties properties;

    ClusterController(NodeRegistry nodes, DashboardProperties properties) {
        this.nodes = nodes;
        this.properties = properties;
    }

    /** {@code [{"node","status","lastSeen","cpu","mem","disk","net","load"}]}, sorted by node. */
    @GetMapping("/api/nodes")
    List<NodeStatus> nodes() {
        return nodes.nodes();
    }

    /** The original dashboard's API: {@code {"<node>": {"cpu": v, "mem": v, "disk": v}}}. */
    @GetMapping("/metrics-data")
    Map<String, Map<String, Double>> metricsData() {
        Map<String, Map<String, Double>> data = new LinkedHashMap<>();
        for (NodeStatus node : nodes.nodes()) {
            Map<String, Double> values = new LinkedHashMap<>();
            values.put("cpu", node.cpu());
            values.put("mem", node.mem());
            values.put("disk", node.disk());
            data.put(node.node(), values);
        }
        return data;
    }

    /** What the page needs to draw status and history: {@code staleAfterMs}, {@code historyMs}, {@code serverTime}. */
    @GetMapping("/api/config")
    Map<String, Long> config() {
        return Map.of("staleAfterMs", properties.staleAfter().toMillis(),
                "historyMs", properties.history().toMillis(),
                "serverTime", System.currentTimeMillis());
    }
}
