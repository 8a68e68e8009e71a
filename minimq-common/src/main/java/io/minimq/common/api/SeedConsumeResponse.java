package io.minimq.common.api;

/** Answer of the prototype's {@code GET /consume}: {@code {"message": "text", "offset": N}}. */
public record SeedConsumeResponse(String message, long offset) {
}
