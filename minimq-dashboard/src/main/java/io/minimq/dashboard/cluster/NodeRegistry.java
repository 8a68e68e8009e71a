package io.minimq.dashboard.cluster;

import io.minimq.common.Topics;
import io.minimq.dashboard.DashboardProperties;
import io.minimq.dashboard.stream.LagPolicy;
import io.minimq.dashboard.stream.RecordStreams;
import io.minimq.dashboard.stream.StartAt;
import io.minimq.dashboard.stream.StreamEvent;
import io.minimq.dashboard.stream.StreamRecord;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;

/**
 * The latest value of every metric of every node, kept by following all {@code metrics.*} topics
 * from {@code history} ago for as long as the app runs. Answers {@code /api/nodes} and
 * {@code /metrics-data}. Thread-safe.
 */
@Component
public final class NodeRegistry implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(NodeRegistry.class);

    private final Map<String, Latest> nodes = new ConcurrentHashMap<>();
    private final RecordStreams streams;
    private final DashboardProperties properties;
    private final Clock clock = Clock.systemUTC();
    private volatile Disposable following;

    public NodeRegistry(RecordStreams streams, DashboardProperties properties) {
        this.streams = streams;
        this.properties = properties;
    }

    @Override
    public void start() {
        long since = clock.millis() - properties.history().toMillis();
        following = streams.events(Topics.METRICS, Map.of(), StartAt.time(since), LagPolicy.CATCH_UP)
                .subscribe(this::apply, e -> log.error("Node registry stopped following metrics", e));
        log.info("Following {} for node status (broker {})", Topics.METRICS, properties.brokerUrl());
    }

    @Override
    public void stop() {
        Disposable current = following;
        if (current != null) {
            current.dispose();
        }
        following = null;
    }

    @Override
    public boolean isRunning() {
        return following != null;
    }

    /** Every node that sent a sample since {@code history} before the app started, sorted by name. */
    public List<NodeStatus> nodes() {
        long now = clock.millis();
        return nodes.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.naturalOrder()))
                .map(entry -> entry.getValue().status(entry.getKey(), now, properties.staleAfter().toMillis()))
                .toList();
    }

    private void apply(StreamEvent event) {
        if (!(event instanceof StreamEvent.Delivered delivered)) {
            return;
        }
        StreamRecord record = delivered.record();
        String metric = Topics.metricOf(record.topic());
        JsonNode value = record.value();
        if (metric == null || value == null || !value.path("value").isNumber()) {
            log.debug("Ignoring record {} of {}: not a metric sample", record.offset(), record.topic());
            return;
        }
        String node = value.path("node").asString(record.key() == null ? "" : record.key());
        if (node.isEmpty()) {
            return;
        }
        double sample = value.path("value").asDouble();
        nodes.compute(node, (name, old) -> (old == null ? Latest.EMPTY : old).with(metric, sample, record.timestamp()));
    }

    /** A node's latest values. Immutable; replaced as a whole on every sample. */
    private record Latest(long lastSeen, Map<String, Double> values) {

        static final Latest EMPTY = new Latest(0, Map.of());

        Latest with(String metric, double value, long timestamp) {
            Map<String, Double> more = new HashMap<>(values);
            more.put(metric, value);
            return new Latest(Math.max(lastSeen, timestamp), Map.copyOf(more));
        }

        NodeStatus status(String node, long now, long staleAfterMillis) {
            String status = now - lastSeen > staleAfterMillis ? NodeStatus.STALE : NodeStatus.LIVE;
            return new NodeStatus(node, status, lastSeen, values.get("cpu"), values.get("mem"), values.get("disk"),
                    values.get("net"), values.get("load"));
        }
    }
}
