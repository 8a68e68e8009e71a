package io.minimq.agent.publish;

import io.minimq.agent.system.NodeIdentity;
import io.minimq.common.Topics;
import io.minimq.common.metrics.NodeInfo;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import oshi.SystemInfo;

/** Says who this node is, once, when the agent starts: a {@link NodeInfo} record on {@code nodes}. */
@Component
class NodeAnnouncer {

    private static final Logger log = LoggerFactory.getLogger(NodeAnnouncer.class);

    private final BrokerPublisher publisher;
    private final NodeIdentity node;
    private final SystemInfo system;
    private final ObjectProvider<BuildProperties> build;
    private final Clock clock;

    NodeAnnouncer(BrokerPublisher publisher, NodeIdentity node, SystemInfo system,
            ObjectProvider<BuildProperties> build, Clock clock) {
        this.publisher = publisher;
        this.node = node;
        this.system = system;
        this.build = build;
        this.clock = clock;
    }

    @EventListener(ApplicationReadyEvent.class)
    void announce() {
        NodeInfo info = new NodeInfo(node.name(), system.getOperatingSystem().toString(),
                system.getHardware().getProcessor().getLogicalProcessorCount(),
                system.getHardware().getMemory().getTotal(), version(), clock.millis());
        publisher.publish(Topics.NODES, node.name(), info);
        log.info("Announced node '{}' ({} CPUs, {} MiB, {}) as producer {}", info.node(), info.cpuCount(),
                info.memTotalBytes() >> 20, info.os(), publisher.producerId());
    }

    private String version() {
        BuildProperties properties = build.getIfAvailable();
        return properties != null ? properties.getVersion() : "dev";
    }
}
