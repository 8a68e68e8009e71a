package io.minimq.common.api;

/** Body of the prototype's {@code POST /produce}: {@code {"topic": "t", "message": "text"}}. */
public record SeedProduceRequest(String topic, String message) {
}
