package io.minimq.agent.collect;

import io.micrometer.core.instrument.MeterRegistry;
import io.minimq.agent.AgentProperties;
import io.minimq.agent.publish.BrokerPublisher;
import io.minimq.agent.system.NodeIdentity;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.TaskScheduler;
import oshi.SystemInfo;
import oshi.hardware.HardwareAbstractionLayer;

/** The enabled collectors with their intervals, and the scheduler that runs them. */
@Configuration(proxyBeanMethods = false)
class CollectConfiguration {

    @Bean
    HostGauges hostGauges(MeterRegistry registry, NodeIdentity node) {
        return new HostGauges(registry, node.name());
    }

    @Bean
    CollectorScheduler collectorScheduler(AgentProperties properties, SystemInfo system, NodeIdentity node,
            Clock clock, TaskScheduler scheduler, HostGauges gauges, BrokerPublisher publisher,
            MeterRegistry registry) {
        HardwareAbstractionLayer hardware = system.getHardware();
        String name = node.name();
        AgentProperties.Intervals every = properties.interval();
        AgentProperties.Collectors enabled = properties.enabled();
        Map<MetricCollector, Duration> collectors = new LinkedHashMap<>();
        if (enabled.cpu()) {
            collectors.put(new CpuCollector(hardware.getProcessor(), name, clock), every.cpu());
        }
        if (enabled.mem()) {
            collectors.put(new MemoryCollector(hardware.getMemory(), name, clock), every.mem());
        }
        if (enabled.disk()) {
            collectors.put(new DiskCollector(system.getOperatingSystem().getFileSystem(), properties.hostRoot(), name,
                    clock), every.disk());
        }
        if (enabled.net()) {
            collectors.put(new NetworkCollector(NetworkCounters.forHost(hardware), name, clock), every.net());
        }
        if (enabled.load()) {
            collectors.put(LoadCollector.forHost(hardware.getProcessor(), name, clock), every.load());
        }
        return new CollectorScheduler(scheduler, collectors, gauges, publisher, registry);
    }
}
