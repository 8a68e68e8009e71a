package io.minimq.dashboard.web;

import io.minimq.common.TopicNames;
import io.minimq.common.api.FetchResponse;
import io.minimq.common.api.TopicInfo;
import io.minimq.dashboard.broker.BrokerClient;
import io.minimq.dashboard.stream.StartAt;
import java.time.Duration;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The topic browser's read-only window on the broker, so browsers never need the broker's address or token. */
@RestController
class TopicBrowserController {

    private static final int MAX_PAGE = 1000;

    private final BrokerClient broker;

    TopicBrowserController(BrokerClient broker) {
        this.broker = broker;
    }

    /** Every topic with its offsets and size. */
    @GetMapping("/api/topics")
    Mono<List<TopicInfo>> topics() {
        return broker.topics();
    }

    /** One topic with its offsets, size and config. */
    @GetMapping("/api/topics/{topic}")
    Mono<TopicInfo> topic(@PathVariable String topic) {
        return broker.topic(TopicNames.validate(topic));
    }

    /** A page of records from an offset ({@code earliest}, {@code latest} or a number) or a time. */
    @GetMapping("/api/topics/{topic}/records")
    Mono<FetchResponse> records(@PathVariable String topic, @RequestParam(required = false) String offset,
            @RequestParam(required = false) Long fromTime, @RequestParam(defaultValue = "50") int limit) {
        TopicNames.validate(topic);
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_PAGE + ", was " + limit);
        }
        StartAt start = StartAt.parse(offset, fromTime, StartAt.offset(0));
        return switch (start.kind()) {
            case TIME -> broker.fetchFromTime(topic, start.value(), limit);
            case LIVE -> broker.fetch(topic, "latest", limit, Duration.ZERO);
            case OFFSET -> broker.fetch(topic, offset == null || offset.equals("earliest") ? "earliest"
                    : Long.toString(start.value()), limit, Duration.ZERO);
        };
    }
}
