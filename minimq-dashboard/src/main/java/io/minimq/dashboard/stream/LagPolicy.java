package io.minimq.dashboard.stream;

/** What happens when a subscriber's buffer of live records is full because it reads too slowly. */
public enum LagPolicy {

    /**
     * Leave the live feed and read the missed records from the broker at the subscriber's own pace,
     * then rejoin: nothing is lost, the subscriber just lags (the cluster view and the SSE API).
     */
    CATCH_UP,

    /** Jump to the live end and report how many records were skipped (the topic browser's live tail). */
    SKIP
}
