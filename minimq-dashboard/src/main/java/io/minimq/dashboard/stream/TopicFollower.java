package io.minimq.dashboard.stream;

import io.minimq.common.api.BrokerRecord;
import io.minimq.common.api.FetchResponse;
import io.minimq.dashboard.DashboardProperties;
import io.minimq.dashboard.broker.BrokerClient;
import io.minimq.dashboard.broker.OffsetOutOfRangeException;
import io.minimq.dashboard.broker.UnknownTopicException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Follows one topic for one subscriber: first the records between the subscriber's start offset
 * and the live end, read from the broker page by page at the subscriber's own pace, then the
 * shared {@link TopicFeed}. When the subscriber falls too far behind the feed, it catches up from
 * the broker again ({@link LagPolicy#CATCH_UP}) or jumps to the live end ({@link LagPolicy#SKIP}).
 * Either way offsets come strictly in order and never twice. Thread-safe; each returned flux keeps
 * its own cursor.
 */
@Component
public final class TopicFollower {

    private final TopicFeeds feeds;
    private final BrokerClient broker;
    private final RecordEncoder encoder;
    private final DashboardProperties properties;

    public TopicFollower(TopicFeeds feeds, BrokerClient broker, RecordEncoder encoder,
            DashboardProperties properties) {
        this.feeds = feeds;
        this.broker = broker;
        this.encoder = encoder;
        this.properties = properties;
    }

    /**
     * The topic's events from offset {@code from} on ({@link Long#MAX_VALUE} = from the live end).
     * The first event is always {@link StreamEvent.Started} with the offset actually started at:
     * {@code from}, or the live end when {@code from} lies beyond it.
     */
    public Flux<StreamEvent> follow(String topic, long from, LagPolicy policy) {
        TopicFeed feed = feeds.feed(topic);
        return Flux.defer(() -> {
            Cursor cursor = new Cursor(from);
            return Flux.defer(() -> feed.attach(properties.subscriberBuffer())
                            .flatMapMany(attachment -> session(topic, attachment, cursor, policy)))
                    .repeat()
                    .retryWhen(Retry.backoff(Long.MAX_VALUE, properties.retryMin()).maxBackoff(properties.retryMax())
                            .transientErrors(true));
        });
    }

    /** The offset the next record of {@code topic} will get (its live end), starting its feed if needed. */
    public Mono<Long> liveEnd(String topic) {
        return feeds.feed(topic).livePosition();
    }

    /** One stay on the feed: what lies between the cursor and the feed's position, then the live records. */
    private Flux<StreamEvent> session(String topic, TopicFeed.Attachment attachment, Cursor cursor,
            LagPolicy policy) {
        long position = attachment.position();
        Flux<StreamEvent> head;
        if (!cursor.started) {
            cursor.started = true;
            cursor.next = Math.min(cursor.next, position);
            head = Flux.<StreamEvent>just(new StreamEvent.Started(topic, cursor.next))
                    .concatWith(pages(topic, cursor.next, position));
        } else if (cursor.next >= position) {
            cursor.next = position; // beyond the end only when the topic was re-created: follow its new end
            head = Flux.empty();
        } else if (policy == LagPolicy.SKIP) {
            head = Flux.just(new StreamEvent.Skipped(topic, cursor.next, position));
        } else {
            head = pages(topic, cursor.next, position);
        }
        return head.concatWith(attachment.live())
                .doOnNext(cursor::advance)
                .doFinally(signal -> attachment.close());
    }

    /** Records {@code [from, until)} read from the broker one page at a time, only as fast as they are consumed. */
    Flux<StreamEvent> pages(String topic, long from, long until) {
        if (from >= until) {
            return Flux.empty();
        }
        Cursor cursor = new Cursor(from);
        return Mono.defer(() -> page(topic, cursor, until))
                .repeat(() -> cursor.next < until && !cursor.exhausted)
                .flatMapIterable(events -> events, 1);
    }

    private Mono<List<StreamEvent>> page(String topic, Cursor cursor, long until) {
        long from = cursor.next;
        int limit = (int) Math.min(properties.fetchLimit(), until - from);
        return broker.fetch(topic, Long.toString(from), limit, Duration.ZERO)
                .map(response -> toEvents(topic, response, cursor, until))
                .onErrorResume(OffsetOutOfRangeException.class, e -> {
                    if (from < e.startOffset()) { // retention got there first
                        long to = Math.min(e.startOffset(), until);
                        cursor.next = to;
                        return Mono.just(List.of(new StreamEvent.Skipped(topic, from, to)));
                    }
                    cursor.exhausted = true;
                    return Mono.just(List.of());
                })
                .onErrorResume(UnknownTopicException.class, e -> {
                    cursor.exhausted = true;
                    return Mono.just(List.of());
                });
    }

    private List<StreamEvent> toEvents(String topic, FetchResponse response, Cursor cursor, long until) {
        List<StreamEvent> events = new ArrayList<>(response.records().size());
        for (BrokerRecord record : response.records()) {
            if (record.offset() >= cursor.next && record.offset() < until) {
                events.add(new StreamEvent.Delivered(encoder.encode(topic, record)));
            }
        }
        long next = Math.min(until, response.nextOffset());
        if (next <= cursor.next) {
            cursor.exhausted = true; // nothing more there: the topic ends before `until`
        }
        cursor.next = Math.max(cursor.next, next);
        return events;
    }

    /** Where one subscriber is on one topic. Used by one subscription at a time. */
    private static final class Cursor {

        long next;
        boolean started;
        boolean exhausted;

        Cursor(long next) {
            this.next = next;
        }

        void advance(StreamEvent event) {
            if (event instanceof StreamEvent.Delivered delivered) {
                next = delivered.record().offset() + 1;
            } else if (event instanceof StreamEvent.Skipped skipped) {
                next = skipped.toOffset();
            }
        }
    }
}
