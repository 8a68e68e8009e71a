package io.minimq.agent.system;

import io.minimq.agent.AgentProperties;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import oshi.SystemInfo;

/** The host as the agent sees it: OSHI's view of the hardware, the node's name, the clock. */
@Configuration(proxyBeanMethods = false)
class SystemConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SystemConfiguration.class);

    @Bean
    SystemInfo systemInfo() {
        return new SystemInfo();
    }

    @Bean
    NodeIdentity nodeIdentity(AgentProperties properties) {
        NodeIdentity node = NodeIdentity.resolve(properties.nodeName(), System.getenv());
        log.info("Agent for node '{}' reading {}", node.name(), HostPaths.proc());
        return node;
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
