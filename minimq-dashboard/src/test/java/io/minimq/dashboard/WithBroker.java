package io.minimq.dashboard;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the tests that run the dashboard on a random port against the real broker
 * ({@link TestBroker}). Short timings so that staleness, lag and broker restarts show up within
 * seconds; one Spring context shared by every subclass.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "minimq.dashboard.stale-after=3s",
        "minimq.dashboard.poll-wait=2s",
        "minimq.dashboard.heartbeat=2s",
        "minimq.dashboard.subscriber-buffer=16",
        "minimq.dashboard.retry-min=100ms",
        "minimq.dashboard.retry-max=1s"})
public abstract class WithBroker {

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        registry.add("minimq.dashboard.broker-url", TestBroker::url);
    }

    protected String dashboard(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** A topic name no other test uses. */
    protected static String uniqueTopic(String prefix) {
        return prefix + "-" + Long.toString(System.nanoTime(), 36);
    }
}
