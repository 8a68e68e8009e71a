package io.minimq.broker.log;

import java.io.IOException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets concurrent appenders share fsyncs ({@link FlushPolicy#ALWAYS}). Appenders wait until the
 * log is durable up to their own logical byte mark; one of them at a time (the leader) runs
 * the sync, which covers everything written before it started, so every appender waiting
 * meanwhile is released by the next single fsync.
 *
 * <p>Thread-safe. Waiting uses a {@link ReentrantLock}, which does not pin a virtual thread.
 */
final class GroupCommit {

    /** Forces the log and returns the logical byte mark it covers. */
    @FunctionalInterface
    interface Sync {
        long sync() throws IOException;
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long durable;
    private boolean syncing;

    /** Returns once the log is durable up to {@code mark}, syncing itself when no one else is. */
    void awaitDurable(long mark, Sync sync) throws IOException {
        while (true) {
            lock.lock();
            try {
                while (durable < mark && syncing) {
                    changed.awaitUninterruptibly();
                }
                if (durable >= mark) {
                    return;
                }
                syncing = true;
            } finally {
                lock.unlock();
            }
            lead(sync);
        }
    }

    private void lead(Sync sync) throws IOException {
        long covered = -1;
        try {
            covered = sync.sync();
        } finally {
            lock.lock();
            try {
                syncing = false;
                durable = Math.max(durable, covered);
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
