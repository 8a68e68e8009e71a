package io.minimq.dashboard.stream;

import io.minimq.dashboard.DashboardProperties;
import io.minimq.dashboard.broker.BrokerClient;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The registry of {@link TopicFeed}s: at most one long-poll loop per topic, started the first time
 * someone follows the topic and shared by everyone who follows it after. Feeds run until the app
 * stops. Thread-safe.
 */
@Component
public final class TopicFeeds implements DisposableBean {

    private final Map<String, TopicFeed> feeds = new ConcurrentHashMap<>();
    private final BrokerClient broker;
    private final RecordEncoder encoder;
    private final DashboardProperties properties;
    private final MeterRegistry meters;

    public TopicFeeds(BrokerClient broker, RecordEncoder encoder, DashboardProperties properties,
            MeterRegistry meters) {
        this.broker = broker;
        this.encoder = encoder;
        this.properties = properties;
        this.meters = meters;
    }

    /** The feed of {@code topic}, started on first use. The name must already be validated. */
    TopicFeed feed(String topic) {
        return feeds.computeIfAbsent(topic, name -> {
            TopicFeed feed = new TopicFeed(name, broker, encoder, properties);
            Gauge.builder("minimq.dashboard.feed.subscribers", feed, TopicFeed::subscriberCount)
                    .description("Subscribers attached to the live end of a followed topic")
                    .tag("topic", name)
                    .register(meters);
            feed.start();
            return feed;
        });
    }

    @Override
    public void destroy() {
        feeds.values().forEach(TopicFeed::stop);
        feeds.clear();
    }
}
