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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.util.concurrent.Queues;
import reactor.util.retry.Retry;

/**
 * The live end of one topic: a single long-poll loop on the broker
 * ({@code GET /v1/topics/{t}/records?offset=N&maxWaitMs=W}) whose records are handed to every
 * attached subscriber. Each subscriber has its own bounded buffer; one that does not drain it in
 * time is detached (its live flux completes after the buffered records) instead of slowing the
 * loop or the other subscribers. When the broker fails or restarts the loop retries with
 * exponential back-off and resumes at the offset it had reached.
 *
 * <p>Thread-safe: the loop publishes and subscribers attach and detach under one lock, so a
 * subscriber gets exactly the records at and after the {@link Attachment#position()} it was given.
 */
final class TopicFeed {

    private static final Logger log = LoggerFactory.getLogger(TopicFeed.class);
    /** How long to wait before asking again about a topic that does not exist yet. */
    private static final Duration UNKNOWN_TOPIC_WAIT = Duration.ofSeconds(1);
    /** Records a subscriber's live flux hands on to the thread that writes to its connection. */
    private static final int HANDOFF_PREFETCH = 32;

    private final String topic;
    private final BrokerClient broker;
    private final RecordEncoder encoder;
    private final DashboardProperties properties;
    private final Sinks.One<Long> ready = Sinks.one();
    private final Object lock = new Object();
    private List<Subscriber> subscribers = List.of(); // copy-on-write, replaced under lock
    private volatile long next = -1; // the offset the next poll asks for; written under lock
    private volatile boolean failing;
    private Disposable loop;

    TopicFeed(String topic, BrokerClient broker, RecordEncoder encoder, DashboardProperties properties) {
        this.topic = topic;
        this.broker = broker;
        this.encoder = encoder;
        this.properties = properties;
    }

    /** Starts the loop: it finds the topic's live end, then long-polls from there until {@link #stop()}. */
    void start() {
        loop = Mono.defer(() -> next < 0 ? findLiveEnd() : poll())
                .repeat()
                .retryWhen(Retry.backoff(Long.MAX_VALUE, properties.retryMin())
                        .maxBackoff(properties.retryMax())
                        .transientErrors(true)
                        .doBeforeRetry(signal -> brokerFailed(signal.failure())))
                .subscribe();
    }

    /** Stops the loop and ends every subscriber's live flux. */
    void stop() {
        if (loop != null) {
            loop.dispose();
        }
        synchronized (lock) {
            subscribers.forEach(Subscriber::end);
            subscribers = List.of();
        }
    }

    String topic() {
        return topic;
    }

    int subscriberCount() {
        return subscribers.size();
    }

    /**
     * Attaches a subscriber once the feed knows the topic's live end. The attachment's live flux
     * yields every record from its position on, until the subscriber falls {@code buffer} records
     * behind; then it completes and the subscriber must read the rest from the broker.
     */
    Mono<Attachment> attach(int buffer) {
        return ready.asMono().map(ignored -> register(buffer));
    }

    /** The offset the next record will get, once the feed knows it. */
    Mono<Long> livePosition() {
        return ready.asMono().map(ignored -> next);
    }

    private Attachment register(int buffer) {
        Subscriber subscriber = new Subscriber(Sinks.many().unicast().onBackpressureBuffer(
                Queues.<StreamEvent>get(buffer).get()));
        long position;
        synchronized (lock) {
            List<Subscriber> more = new ArrayList<>(subscribers);
            more.add(subscriber);
            subscribers = List.copyOf(more);
            position = next;
        }
        return new Attachment(position, subscriber);
    }

    private void detach(Subscriber subscriber) {
        synchronized (lock) {
            if (subscribers.contains(subscriber)) {
                List<Subscriber> fewer = new ArrayList<>(subscribers);
                fewer.remove(subscriber);
                subscribers = List.copyOf(fewer);
            }
        }
    }

    private Mono<Long> findLiveEnd() {
        return broker.fetch(topic, "latest", 1, Duration.ZERO)
                .map(FetchResponse::endOffset)
                .onErrorResume(UnknownTopicException.class, e -> Mono.just(0L))
                .doOnNext(end -> {
                    synchronized (lock) {
                        next = end;
                    }
                    recovered();
                    log.info("Following topic '{}' from offset {}", topic, end);
                    ready.tryEmitValue(end);
                });
    }

    private Mono<Long> poll() {
        long from = next;
        return broker.fetch(topic, Long.toString(from), properties.fetchLimit(), properties.pollWait())
                .map(response -> publish(from, response))
                .onErrorResume(UnknownTopicException.class,
                        e -> Mono.delay(UNKNOWN_TOPIC_WAIT).thenReturn(from))
                .onErrorResume(OffsetOutOfRangeException.class, e -> Mono.just(reposition(from, e)))
                .doOnNext(ignored -> recovered());
    }

    /** Hands a fetched page to every subscriber; returns the new position. */
    private long publish(long from, FetchResponse response) {
        List<StreamEvent> events = new ArrayList<>(response.records().size());
        for (BrokerRecord record : response.records()) {
            events.add(new StreamEvent.Delivered(encoder.encode(topic, record)));
        }
        synchronized (lock) {
            for (StreamEvent event : events) {
                for (Subscriber subscriber : subscribers) {
                    subscriber.offer(event);
                }
            }
            next = Math.max(from, response.nextOffset());
            return next;
        }
    }

    /** The broker refused our offset: retention deleted records under us, or the topic was re-created. */
    private long reposition(long from, OffsetOutOfRangeException e) {
        synchronized (lock) {
            if (from < e.startOffset()) {
                log.warn("Topic '{}': retention deleted offsets {} to {} before they were read", topic, from,
                        e.startOffset() - 1);
                StreamEvent skipped = new StreamEvent.Skipped(topic, from, e.startOffset());
                subscribers.forEach(subscriber -> subscriber.offer(skipped));
                next = e.startOffset();
            } else {
                log.warn("Topic '{}' is shorter than before (end offset {} < {}): it was re-created; following "
                        + "from its end", topic, e.endOffset(), from);
                subscribers.forEach(Subscriber::end);
                subscribers = List.of();
                next = e.endOffset();
            }
            return next;
        }
    }

    private void brokerFailed(Throwable failure) {
        if (!failing) {
            failing = true;
            log.warn("Topic '{}': broker request failed ({}); retrying with back-off from offset {}", topic,
                    failure.getMessage(), next);
        } else {
            log.debug("Topic '{}': broker still failing: {}", topic, failure.getMessage());
        }
    }

    private void recovered() {
        if (failing) {
            failing = false;
            log.info("Topic '{}': broker reachable again, following from offset {}", topic, next);
        }
    }

    /** One subscriber's bounded buffer. Offered to only under the feed's lock. */
    private final class Subscriber {

        private final Sinks.Many<StreamEvent> sink;
        private boolean ended;

        Subscriber(Sinks.Many<StreamEvent> sink) {
            this.sink = sink;
        }

        void offer(StreamEvent event) {
            if (ended) {
                return;
            }
            Sinks.EmitResult result = sink.tryEmitNext(event);
            if (result.isFailure()) {
                // FAIL_OVERFLOW: the subscriber is too slow; FAIL_CANCELLED / TERMINATED: it left.
                log.debug("Topic '{}': subscriber detached ({})", topic, result);
                detach(this);
                end();
            }
        }

        void end() {
            ended = true;
            sink.tryEmitComplete();
        }
    }

    /**
     * A subscriber's place on the feed: {@code position} is the offset of the first record its
     * {@link #live()} flux will yield.
     */
    final class Attachment {

        private final long position;
        private final Subscriber subscriber;

        private Attachment(long position, Subscriber subscriber) {
            this.position = position;
            this.subscriber = subscriber;
        }

        long position() {
            return position;
        }

        /** The live records, handed off to a worker thread so the feed's loop never runs subscriber code. */
        Flux<StreamEvent> live() {
            return subscriber.sink.asFlux().publishOn(Schedulers.parallel(), HANDOFF_PREFETCH);
        }

        /** Leaves the feed; records buffered for it are dropped. */
        void close() {
            detach(subscriber);
            synchronized (lock) {
                subscriber.end();
            }
        }
    }
}
