package io.minimq.common.api;

/** HTTP header names of the broker API. */
public final class ApiHeaders {

    /** Idempotent producer id (any string up to 249 characters). */
    public static final String PRODUCER_ID = "MiniMQ-Producer-Id";
    /** Idempotent producer sequence: one number per produce request, increasing. */
    public static final String PRODUCER_SEQ = "MiniMQ-Producer-Seq";

    private ApiHeaders() {
    }
}
