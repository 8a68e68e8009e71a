package io.minimq.agent.collect;

import io.minimq.agent.publish.BrokerPublisher;
import io.minimq.common.Topics;
import io.minimq.common.metrics.MetricSample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;

/**
 * Runs each enabled collector at its interval and hands every sample to the gauges and the
 * publisher. A collector that throws is logged and runs again at its next tick; the agent never
 * stops collecting because of one bad reading.
 */
public class CollectorScheduler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CollectorScheduler.class);

    private final TaskScheduler scheduler;
    private final Map<MetricCollector, Duration> collectors;
    private final HostGauges gauges;
    private final BrokerPublisher publisher;
    private final List<ScheduledFuture<?>> running = new ArrayList<>();

    public CollectorScheduler(TaskScheduler scheduler, Map<MetricCollector, Duration> collectors, HostGauges gauges,
            BrokerPublisher publisher) {
        this.scheduler = scheduler;
        this.collectors = collectors;
        this.gauges = gauges;
        this.publisher = publisher;
    }

    @Override
    public synchronized void start() {
        collectors.forEach((collector, interval) -> running.add(scheduler.scheduleAtFixedRate(() -> run(collector),
                interval)));
        log.info("Collecting {}", collectors.entrySet().stream()
                .map(e -> e.getKey().metric() + " every " + e.getValue().toMillis() + " ms").toList());
    }

    @Override
    public synchronized void stop() {
        running.forEach(future -> future.cancel(false));
        running.clear();
    }

    @Override
    public synchronized boolean isRunning() {
        return !running.isEmpty();
    }

    void run(MetricCollector collector) {
        try {
            Optional<MetricSample> sample = collector.collect();
            sample.ifPresent(this::deliver);
        } catch (RuntimeException e) {
            log.warn("Collector {} failed: {}", collector.metric(), e.toString());
            log.debug("Collector failure", e);
        }
    }

    private void deliver(MetricSample sample) {
        gauges.record(sample);
        publisher.publish(Topics.forMetric(sample.metric()), sample.node(), sample);
    }
}
