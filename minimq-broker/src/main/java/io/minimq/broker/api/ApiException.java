package io.minimq.broker.api;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A request the broker refuses, with the status, the problem {@code title} and a {@code detail}
 * for the client. Rendered as {@code application/problem+json} by {@link ApiExceptionHandler};
 * the detail is written for clients, so it never holds a file path or internals.
 * Carries no stack trace: these are expected outcomes, not bugs.
 */
public final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final HttpStatus status;
    private final String title;
    private final Map<String, Object> extensions = new LinkedHashMap<>();

    public ApiException(HttpStatus status, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
    }

    public static ApiException badRequest(String title, String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, title, detail);
    }

    public static ApiException invalidParameter(String detail) {
        return badRequest("Invalid parameter", detail);
    }

    public static ApiException malformedJson(String detail) {
        return badRequest("Malformed JSON", detail);
    }

    public static ApiException tooLarge(String title, String detail) {
        return new ApiException(HttpStatus.CONTENT_TOO_LARGE, title, detail);
    }

    public static ApiException notFound(String title, String detail) {
        return new ApiException(HttpStatus.NOT_FOUND, title, detail);
    }

    /** Adds an extension member to the problem, e.g. {@code startOffset}. */
    public ApiException with(String name, Object value) {
        extensions.put(name, value);
        return this;
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    public Map<String, Object> extensions() {
        return extensions;
    }
}
