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
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
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
 * <p>A feed that has had no subscriber for {@code feed-idle-timeout} stops its loop and retires
 * (its registry forgets it); whoever follows the topic next gets a new feed.
 *
 * <p>Thread-safe: the loop advances its position and subscribers attach and detach under one
 * lock, so a subscriber gets exactly the records at and after the {@link Attachment#position()} it
 * was given. Records are handed out after the lock is released, on the loop's thread.
 */
final class TopicFeed {

    private static final Logger log = LoggerFactory.getLogger(TopicFeed.class);
    /** How long to wait before asking again about a topic that does not exist yet. */
    private static final Duration UNKNOWN_TOPIC_WAIT = Duration.ofSeconds(1);
    /** How long ending a subscriber's sink retries while the loop is emitting to it. */
    private static final Duration END_RETRY = Duration.ofMillis(100);

    private final String topic;
    private final BrokerClient broker;
    private final RecordEncoder encoder;
    private final DashboardProperties properties;
    private final Consumer<TopicFeed> retire;
    private final Sinks.One<Long> ready = Sinks.one();
    private final Object lock = new Object();
    private volatile List<Subscriber> subscribers = List.of(); // copy-on-write, replaced under lock
    private volatile long next = -1; // the offset the next poll asks for; written under lock
    private volatile boolean failing;
    private Disposable loop;
    private Disposable idleCheck; // guarded by lock
    private boolean stopped; // guarded by lock

    /** {@code retire} is called, under the feed's lock, when the feed stops for want of subscribers. */
    TopicFeed(String topic, BrokerClient broker, RecordEncoder encoder, DashboardProperties properties,
            Consumer<TopicFeed> retire) {
        this.topic = topic;
        this.broker = broker;
        this.encoder = encoder;
        this.properties = properties;
        this.retire = retire;
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
        synchronized (lock) {
            checkIdleLater();
        }
    }

    /** Stops the loop and ends every subscriber's live flux. */
    void stop() {
        List<Subscriber> ending;
        synchronized (lock) {
            stopped = true;
            ending = subscribers;
            subscribers = List.of();
        }
        ending.forEach(Subscriber::end);
        loop.dispose();
        ready.tryEmitEmpty(); // anyone still waiting for the live end asks the registry again
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
     * behind; then it completes and the subscriber must read the rest from the broker. Empty when
     * the feed has stopped.
     */
    Mono<Attachment> attach(int buffer) {
        return ready.asMono().mapNotNull(ignored -> register(buffer));
    }

    /** The offset the next record will get, once the feed knows it; empty when the feed has stopped. */
    Mono<Long> livePosition() {
        return ready.asMono().map(ignored -> next);
    }

    private Attachment register(int buffer) {
        Subscriber subscriber = new Subscriber(Sinks.many().unicast().onBackpressureBuffer(
                Queues.<StreamEvent>get(buffer).get()));
        long position;
        synchronized (lock) {
            if (stopped) {
                return null;
            }
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
                checkIdleLater();
            }
        }
    }

    /** With no subscriber left, looks again after the idle timeout and retires the feed if still none came. */
    private void checkIdleLater() {
        if (subscribers.isEmpty() && !stopped && (idleCheck == null || idleCheck.isDisposed())) {
            idleCheck = Mono.delay(properties.feedIdleTimeout()).subscribe(tick -> retireIfIdle());
        }
    }

    private void retireIfIdle() {
        synchronized (lock) {
            idleCheck = null;
            if (!subscribers.isEmpty() || stopped) {
                return;
            }
            stopped = true;
            retire.accept(this);
        }
        loop.dispose();
        ready.tryEmitEmpty();
        log.info("Stopped following topic '{}': no subscriber for {}", topic, properties.feedIdleTimeout());
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

    /**
     * Hands a fetched page to every subscriber; returns the new position. The subscribers and the
     * new position are taken under the lock, so one that attaches meanwhile starts after this
     * page; the records are handed out after it, so no subscriber's code ever runs under the lock.
     * Only this loop offers records, one page after the other, so each subscriber sees them in order.
     */
    private long publish(long from, FetchResponse response) {
        List<StreamEvent> events = new ArrayList<>(response.records().size());
        for (BrokerRecord record : response.records()) {
            events.add(new StreamEvent.Delivered(encoder.encode(topic, record)));
        }
        List<Subscriber> receivers;
        long position;
        synchronized (lock) {
            receivers = subscribers;
            next = position = Math.max(from, response.nextOffset());
        }
        for (Subscriber subscriber : receivers) {
            for (StreamEvent event : events) {
                if (!subscriber.offer(event)) {
                    break;
                }
            }
        }
        return position;
    }

    /** The broker refused our offset: retention deleted records under us, or the topic was re-created. */
    private long reposition(long from, OffsetOutOfRangeException e) {
        List<Subscriber> receivers;
        long position;
        synchronized (lock) {
            receivers = subscribers;
            if (from < e.startOffset()) {
                next = position = e.startOffset();
            } else {
                subscribers = List.of();
                checkIdleLater();
                next = position = e.endOffset();
            }
        }
        if (from < e.startOffset()) {
            log.warn("Topic '{}': retention deleted offsets {} to {} before they were read", topic, from,
                    e.startOffset() - 1);
            StreamEvent skipped = new StreamEvent.Skipped(topic, from, e.startOffset());
            receivers.forEach(subscriber -> subscriber.offer(skipped));
        } else {
            log.warn("Topic '{}' is shorter than before (end offset {} < {}): it was re-created; following "
                    + "from its end", topic, e.endOffset(), from);
            receivers.forEach(Subscriber::end);
        }
        return position;
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

    /**
     * One subscriber's bounded buffer. Records are offered by the feed's loop only; {@link #end()}
     * may come from another thread (stop, close), so the sink is ended with a retry on a
     * concurrent emission rather than a failure.
     */
    private final class Subscriber {

        private final Sinks.Many<StreamEvent> sink;
        private volatile boolean ended;

        Subscriber(Sinks.Many<StreamEvent> sink) {
            this.sink = sink;
        }

        /** Hands on one event; false when the subscriber is gone or was detached for being too slow. */
        boolean offer(StreamEvent event) {
            if (ended) {
                return false;
            }
            Sinks.EmitResult result = sink.tryEmitNext(event);
            if (result.isFailure()) {
                // FAIL_OVERFLOW: the subscriber is too slow; FAIL_CANCELLED / TERMINATED: it left;
                // FAIL_NON_SERIALIZED: it is being ended right now.
                log.debug("Topic '{}': subscriber detached ({})", topic, result);
                detach(this);
                end();
                return false;
            }
            return true;
        }

        void end() {
            ended = true;
            try {
                sink.emitComplete(Sinks.EmitFailureHandler.busyLooping(END_RETRY));
            } catch (Sinks.EmissionException e) {
                // still busy after END_RETRY: `ended` makes the loop's next offer detach it anyway
                log.debug("Topic '{}': could not end a subscriber's live flux: {}", topic, e.getMessage());
            }
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

        /**
         * The live records. The feed's loop runs the subscriber's (non-blocking) operators itself,
         * down to handing the bytes to its connection's event loop: no extra thread hop per
         * record and subscriber. It does so outside the feed's lock.
         */
        Flux<StreamEvent> live() {
            return subscriber.sink.asFlux();
        }

        /** Leaves the feed; records buffered for it are dropped. */
        void close() {
            detach(subscriber);
            subscriber.end();
        }
    }
}
