package io.minimq.broker.log;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Long-poll support for one topic: futures that complete with {@code true} when the end offset
 * passes an offset (completed by the appending thread) or with {@code false} at their timeout
 * (completed by a shared scheduler). No thread waits.
 *
 * <p>Thread-safe.
 */
final class EndOffsetWaiters {

    private record Waiter(long offset, CompletableFuture<Boolean> future) {
    }

    private final Queue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private final LongSupplier endOffset;
    private final ScheduledExecutorService timer;

    EndOffsetWaiters(LongSupplier endOffset, ScheduledExecutorService timer) {
        this.endOffset = endOffset;
        this.timer = timer;
    }

    CompletableFuture<Boolean> await(long offset, Duration timeout) {
        if (endOffset.getAsLong() > offset) {
            return CompletableFuture.completedFuture(true);
        }
        CompletableFuture<Boolean> future = new CompletableFuture<>();
        Waiter waiter = new Waiter(offset, future);
        waiters.add(waiter);
        // An append between the check above and add() would have missed this waiter: check again.
        if (endOffset.getAsLong() > offset) {
            future.complete(true);
        } else {
            ScheduledFuture<?> timeoutTask = timer.schedule(() -> future.complete(false),
                    Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
            future.whenComplete((r, e) -> timeoutTask.cancel(false));
        }
        future.whenComplete((r, e) -> waiters.remove(waiter));
        return future;
    }

    /** Completes the waiters below the new end offset. Called after the end offset was published. */
    void endOffsetChanged(long newEndOffset) {
        if (waiters.isEmpty()) {
            return;
        }
        for (Waiter w : waiters) {
            if (w.offset() < newEndOffset) {
                w.future().complete(true);
            }
        }
    }

    /** Completes every waiter with {@code false} (topic deleted, storage closed). */
    void cancelAll() {
        for (Waiter w : waiters) {
            w.future().complete(false);
        }
    }
}
