package io.minimq.broker.log;

/** When appended bytes are forced to the disk (HTTP-API.md, "Durability"). */
public enum FlushPolicy {

    /** A background thread fsyncs every {@link LogConfig#flushInterval()}; appends return before. */
    INTERVAL,

    /** An append returns only after an fsync covering it; concurrent appends share one fsync. */
    ALWAYS
}
