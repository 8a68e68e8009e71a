package io.minimq.dashboard.stream;

import io.minimq.dashboard.DashboardProperties;
import io.minimq.dashboard.broker.BrokerClient;
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

    public TopicFeeds(BrokerClient broker, RecordEncoder encoder, DashboardProperties properties) {
        this.broker = broker;
        this.encoder = encoder;
        this.properties = properties;
    }

    /** The feed of {@code topic}, started on first use. The name must already be validated. */
    TopicFeed feed(String topic) {
        return feeds.computeIfAbsent(topic, name -> {
            TopicFeed feed = new TopicFeed(name, broker, encoder, properties);
            feed.start();
            return feed;
        });
    }

    /** How many feeds are running (one per followed topic). */
    public int size() {
        return feeds.size();
    }

    /** Subscribers attached to the live end of each followed topic right now. */
    public Map<String, Integer> subscriberCounts() {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        feeds.forEach((topic, feed) -> counts.put(topic, feed.subscriberCount()));
        return java.util.Collections.unmodifiableMap(counts);
    }

    @Override
    public void destroy() {
        feeds.values().forEach(TopicFeed::stop);
        feeds.clear();
    }
}
