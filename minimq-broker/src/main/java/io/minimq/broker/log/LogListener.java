package io.minimq.broker.log;

/**
 * Hooks a {@link LogStorage} calls so that the broker can publish metrics without the log
 * knowing about any metrics library. Every method has a no-op default; implementations must be
 * thread-safe and fast, as they run on the append and flush paths.
 */
public interface LogListener {

    /** Does nothing. */
    LogListener NONE = new LogListener() {
    };

    /** A batch was appended (not called for a recognised duplicate). */
    default void onAppend(String topic, int records, long bytes) {
    }

    /** One fsync of a topic's data took {@code nanos}. */
    default void onFlush(String topic, long nanos) {
    }

    /** A topic was loaded at start-up; {@code result} says what recovery read and dropped. */
    default void onRecovery(String topic, RecoveryResult result) {
    }

    /** Retention deleted {@code segments} whole segments of {@code bytes} from a topic. */
    default void onRetention(String topic, int segments, long bytes) {
    }
}
