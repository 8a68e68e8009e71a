package io.minimq.broker.api;

import io.minimq.broker.storage.OffsetOutOfRangeException;
import io.minimq.broker.storage.SequenceConflictException;
import io.minimq.broker.storage.StorageException;
import io.minimq.broker.storage.StorageFullException;
import io.minimq.broker.storage.StorageUnavailableException;
import io.minimq.broker.storage.TopicNotFoundException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;

/**
 * Every error a controller raises becomes an {@code application/problem+json} answer with the
 * status and title of HTTP-API.md. Spring MVC's own errors (unknown path 404, 405, 415, missing
 * or mistyped parameters 400, ...) come through {@link ResponseEntityExceptionHandler} and are
 * rewritten into the same {@link io.minimq.common.api.Problem} shape, without the request path.
 * Client-side errors are logged at DEBUG; only unexpected ones are logged (at ERROR), and their
 * details never reach the client.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Object> api(ApiException e) {
        log.debug("refused: {} {}", e.title(), e.getMessage());
        HttpHeaders headers = new HttpHeaders();
        Object retryAfter = e.extensions().get("retryAfterSeconds");
        if (retryAfter != null) {
            headers.set(HttpHeaders.RETRY_AFTER, retryAfter.toString());
        }
        return Problems.entity(e.status(), headers, Problems.of(e.status(), e.title(), e.getMessage(), e.extensions()));
    }

    @ExceptionHandler(TopicNotFoundException.class)
    ResponseEntity<Object> topicNotFound(TopicNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Topic not found", e.getMessage(), Map.of());
    }

    @ExceptionHandler(OffsetOutOfRangeException.class)
    ResponseEntity<Object> offsetOutOfRange(OffsetOutOfRangeException e) {
        return problem(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE, "Offset out of range", e.getMessage(),
                Map.of("startOffset", e.startOffset(), "endOffset", e.endOffset()));
    }

    @ExceptionHandler(SequenceConflictException.class)
    ResponseEntity<Object> sequenceConflict(SequenceConflictException e) {
        return problem(HttpStatus.CONFLICT, "Sequence conflict", e.getMessage(), Map.of("lastSeq", e.lastSeq()));
    }

    @ExceptionHandler(StorageFullException.class)
    ResponseEntity<Object> storageFull(StorageFullException e) {
        log.warn("append refused, storage full or not writable: {}", e.getMessage());
        return problem(HttpStatus.INSUFFICIENT_STORAGE, "Insufficient storage",
                "the broker cannot write to its data directory right now; nothing was appended", Map.of());
    }

    @ExceptionHandler(StorageUnavailableException.class)
    ResponseEntity<Object> storageUnavailable(StorageUnavailableException e) {
        log.warn("storage unavailable: {}", e.getMessage());
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "Storage unavailable",
                "the storage back end is not available right now", Map.of());
    }

    @ExceptionHandler(JacksonException.class)
    ResponseEntity<Object> malformedJson(JacksonException e) {
        return problem(HttpStatus.BAD_REQUEST, "Malformed JSON", e.getOriginalMessage(), Map.of());
    }

    @ExceptionHandler(StorageException.class)
    ResponseEntity<Object> storage(StorageException e) {
        log.error("storage error", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Storage error", "the storage back end failed", Map.of());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e) {
        log.error("unexpected error", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error", "the broker failed to answer", Map.of());
    }

    /** Spring MVC's own exceptions: keep their status and title, drop anything path-like. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        String title = null;
        String detail = null;
        if (body instanceof ProblemDetail problem) {
            title = problem.getTitle();
            detail = problem.getDetail();
        }
        if (title == null) {
            HttpStatus status = HttpStatus.resolve(statusCode.value());
            title = status != null ? status.getReasonPhrase() : "Error";
        }
        if (statusCode.value() == 404) {
            detail = "no such endpoint; see /v3/api-docs";
        }
        log.debug("refused: {} {}", statusCode, ex.toString());
        return Problems.entity(statusCode, headers, Problems.of(statusCode, title, detail, Map.of()));
    }

    private static ResponseEntity<Object> problem(HttpStatus status, String title, String detail,
            Map<String, Object> extensions) {
        return Problems.entity(status, null, Problems.of(status, title, detail, extensions));
    }
}
