package io.minimq.agent.collect;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.minimq.agent.publish.BrokerPublisher;
import io.minimq.common.Topics;
import io.minimq.common.metrics.MetricSample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;

/**
 * Runs each enabled collector every interval and hands every sample to the gauges and the
 * publisher. A collector that throws is logged (once, until it works again) and runs again at its
 * next tick; the agent never stops collecting because of one bad reading.
 */
public class CollectorScheduler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CollectorScheduler.class);

    private final TaskScheduler scheduler;
    private final Map<MetricCollector, Duration> collectors;
    private final HostGauges gauges;
    private final BrokerPublisher publisher;
    private final Map<String, Counter> collected = new HashMap<>();
    private final List<ScheduledFuture<?>> running = new ArrayList<>();
    /** Runs hold it shared; {@link #stop()} takes it exclusively, so no sample is published after stop returns. */
    private final ReadWriteLock runs = new ReentrantReadWriteLock();
    private volatile boolean stopped;
    private final Set<String> failing = ConcurrentHashMap.newKeySet();

    public CollectorScheduler(TaskScheduler scheduler, Map<MetricCollector, Duration> collectors, HostGauges gauges,
            BrokerPublisher publisher, MeterRegistry registry) {
        this.scheduler = scheduler;
        this.collectors = collectors;
        this.gauges = gauges;
        this.publisher = publisher;
        collectors.keySet().forEach(c -> collected.put(c.metric(), Counter.builder("minimq.agent.samples.collected")
                .tag("metric", c.metric()).description("Samples taken, per metric").register(registry)));
    }

    @Override
    public synchronized void start() {
        stopped = false;
        // Fixed delay, not fixed rate: a run delayed by a busy machine must not be followed by a
        // catch-up burst of runs a few microseconds apart (rates from such deltas are noise).
        collectors.forEach((collector, interval) -> running.add(scheduler.scheduleWithFixedDelay(
                () -> run(collector), interval)));
        log.info("Collecting {}", collectors.entrySet().stream()
                .map(e -> e.getKey().metric() + " every " + e.getValue().toMillis() + " ms").toList());
    }

    /** Cancels the schedules and waits for runs in progress to finish. */
    @Override
    public synchronized void stop() {
        stopped = true;
        running.forEach(future -> future.cancel(false));
        running.clear();
        runs.writeLock().lock();
        runs.writeLock().unlock();
    }

    @Override
    public synchronized boolean isRunning() {
        return !running.isEmpty();
    }

    void run(MetricCollector collector) {
        runs.readLock().lock();
        try {
            if (!stopped) {
                collector.collect().ifPresent(this::deliver);
                if (failing.remove(collector.metric())) {
                    log.info("Collector {} works again", collector.metric());
                }
            }
        } catch (RuntimeException e) {
            if (failing.add(collector.metric())) {
                log.warn("Collector {} failed: {}; trying again every tick", collector.metric(), e.toString());
            }
            log.debug("Collector {} failed", collector.metric(), e);
        } finally {
            runs.readLock().unlock();
        }
    }

    private void deliver(MetricSample sample) {
        collected.get(sample.metric()).increment();
        gauges.record(sample);
        publisher.publish(Topics.forMetric(sample.metric()), sample.node(), sample);
    }
}
