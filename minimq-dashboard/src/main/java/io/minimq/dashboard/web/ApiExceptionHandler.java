package io.minimq.dashboard.web;

import io.minimq.common.InvalidNameException;
import io.minimq.dashboard.broker.BrokerException;
import io.minimq.dashboard.broker.OffsetOutOfRangeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Turns errors into {@code application/problem+json} (RFC 9457) answers. Broker errors keep
 * their meaning (404 unknown topic, 416 offset out of range); a broker that does not answer or
 * refuses the dashboard is a 502. No stack trace or path reaches the client.
 */
@RestControllerAdvice
class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(InvalidNameException.class)
    ResponseEntity<ProblemDetail> invalidName(InvalidNameException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid topic name", e.getMessage());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<ProblemDetail> badRequest(IllegalArgumentException e) {
        return problem(HttpStatus.BAD_REQUEST, "Bad request", e.getMessage());
    }

    @ExceptionHandler(OffsetOutOfRangeException.class)
    ResponseEntity<ProblemDetail> outOfRange(OffsetOutOfRangeException e) {
        ResponseEntity<ProblemDetail> response = problem(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
                "Offset out of range", e.getMessage());
        response.getBody().setProperty("startOffset", e.startOffset());
        response.getBody().setProperty("endOffset", e.endOffset());
        return response;
    }

    @ExceptionHandler(BrokerException.class)
    ResponseEntity<ProblemDetail> broker(BrokerException e) {
        if (e.status() == 404 || e.status() == 400) {
            return problem(HttpStatus.valueOf(e.status()), e.status() == 404 ? "Not found" : "Bad request",
                    e.getMessage());
        }
        log.warn("Broker request failed: {}", e.getMessage());
        return problem(HttpStatus.BAD_GATEWAY, "Broker unavailable", e.getMessage());
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
