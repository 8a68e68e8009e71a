package io.minimq.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.minimq.agent.publish.BrokerPublisher;
import io.minimq.common.metrics.MetricSample;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.scheduling.TaskScheduler;
import oshi.SystemInfo;

/**
 * The scheduler keeps every collector running when one of them throws, says so once, and
 * publishes nothing after {@link CollectorScheduler#stop()} returns. The app's own collectors are
 * switched off so only the ones under test run.
 */
@SpringBootTest(properties = {"minimq.agent.broker-url=http://127.0.0.1:1", "minimq.agent.enabled.cpu=false",
        "minimq.agent.enabled.mem=false", "minimq.agent.enabled.disk=false", "minimq.agent.enabled.net=false",
        "minimq.agent.enabled.load=false"})
@ExtendWith(OutputCaptureExtension.class)
class CollectorSchedulerTests {

    @Autowired
    TaskScheduler taskScheduler;

    @Autowired
    HostGauges gauges;

    @Autowired
    BrokerPublisher publisher;

    @Autowired
    MeterRegistry registry;

    @Test
    void aCollectorThatThrowsIsLoggedOnceAndTheOthersKeepRunning(CapturedOutput output) throws Exception {
        AtomicInteger failedRuns = new AtomicInteger();
        MetricCollector broken = new MetricCollector() {
            @Override
            public String metric() {
                return "cpu";
            }

            @Override
            public Optional<MetricSample> collect() {
                failedRuns.incrementAndGet();
                throw new IllegalStateException("sensor gone");
            }
        };
        MemoryCollector memory = new MemoryCollector(new SystemInfo().getHardware().getMemory(), "n1",
                Clock.systemUTC());
        Map<MetricCollector, Duration> collectors = new LinkedHashMap<>();
        collectors.put(broken, Duration.ofMillis(20));
        collectors.put(memory, Duration.ofMillis(20));
        CollectorScheduler scheduler = new CollectorScheduler(taskScheduler, collectors, gauges, publisher, registry);

        scheduler.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> failedRuns.get() >= 5 && collected("mem") >= 5);
        scheduler.stop();
        double memAtStop = collected("mem");
        int failedAtStop = failedRuns.get();

        assertThat(output.getOut().split("Collector cpu failed: java.lang.IllegalStateException: sensor gone", -1))
                .as("one WARN for a collector that keeps failing").hasSize(2);
        assertThat(scheduler.isRunning()).isFalse();
        Thread.sleep(200); // ten intervals
        assertThat(collected("mem")).as("nothing runs after stop").isEqualTo(memAtStop);
        assertThat(failedRuns.get()).isEqualTo(failedAtStop);
    }

    private double collected(String metric) {
        return registry.get("minimq.agent.samples.collected").tag("metric", metric).counter().count();
    }
}
