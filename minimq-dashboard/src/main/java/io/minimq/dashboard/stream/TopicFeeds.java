package io.minimq.dashboard.stream;

import io.minimq.dashboard.DashboardProperties;
import io.minimq.dashboard.broker.BrokerClient;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The registry of {@link TopicFeed}s: at most one long-poll loop per topic, started the first time
 * someone follows the topic and shared by everyone who follows it after, until it has had no
 * subscriber for {@code feed-idle-timeout}. Thread-safe.
 */
@Component
public final class TopicFeeds implements DisposableBean {

    private final Map<String, TopicFeed> feeds = new ConcurrentHashMap<>();
    private final BrokerClient broker;
    private final RecordEncoder encoder;
    private final DashboardProperties properties;
    private final MeterRegistry meters;
    private volatile boolean closed;

    public TopicFeeds(BrokerClient broker, RecordEncoder encoder, DashboardProperties properties,
            MeterRegistry meters) {
        this.broker = broker;
        this.encoder = encoder;
        this.properties = properties;
        this.meters = meters;
    }

    /** Attaches to the live end of {@code topic} (see {@link TopicFeed#attach}), starting its feed if needed. */
    Mono<TopicFeed.Attachment> attach(String topic, int buffer) {
        // A feed that retires between the look-up and the attach answers empty: take the next one.
        return Mono.defer(() -> open().feed(topic).attach(buffer)).repeatWhenEmpty(Integer.MAX_VALUE, ticks -> ticks);
    }

    /** The offset the next record of {@code topic} will get, starting its feed if needed. */
    Mono<Long> livePosition(String topic) {
        return Mono.defer(() -> open().feed(topic).livePosition()).repeatWhenEmpty(Integer.MAX_VALUE, ticks -> ticks);
    }

    /** The feed of {@code topic}, started on first use. The name must already be validated. */
    private TopicFeed feed(String topic) {
        return feeds.computeIfAbsent(topic, name -> {
            Gauge[] gauge = new Gauge[1];
            TopicFeed feed = new TopicFeed(name, broker, encoder, properties, retired -> {
                feeds.remove(name, retired);
                meters.remove(gauge[0]);
            });
            gauge[0] = Gauge.builder("minimq.dashboard.feed.subscribers", feed, TopicFeed::subscriberCount)
                    .description("Subscribers attached to the live end of a followed topic")
                    .tag("topic", name)
                    .register(meters);
            feed.start();
            return feed;
        });
    }

    private TopicFeeds open() {
        if (closed) {
            throw new IllegalStateException("the dashboard is shutting down");
        }
        return this;
    }

    @Override
    public void destroy() {
        closed = true;
        feeds.values().forEach(TopicFeed::stop);
        feeds.clear();
    }
}
