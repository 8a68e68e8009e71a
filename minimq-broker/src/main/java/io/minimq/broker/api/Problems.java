package io.minimq.broker.api;

import io.minimq.common.api.Problem;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds the broker's {@code application/problem+json} answers (RFC 9457) from one place, for
 * controllers (as a {@link ResponseEntity}) and for servlet filters that answer before any
 * controller runs (written straight to the response). Thread-safe.
 */
@Component
public class Problems {

    public static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;

    private final JsonMapper mapper;

    public Problems(JsonMapper mapper) {
        this.mapper = mapper;
    }

    public static Problem of(HttpStatusCode status, String title, String detail, Map<String, Object> extensions) {
        Problem problem = new Problem(null, title, status.value(), detail);
        extensions.forEach(problem::put);
        return problem;
    }

    public static ResponseEntity<Object> entity(HttpStatusCode status, HttpHeaders headers, Problem problem) {
        HttpHeaders out = new HttpHeaders();
        if (headers != null) {
            out.putAll(headers);
        }
        out.setContentType(PROBLEM_JSON);
        return new ResponseEntity<>(problem, out, status);
    }

    /** Writes a problem to a response that no controller handled (filters, error pages). */
    public void write(HttpServletResponse response, HttpStatusCode status, String title, String detail)
            throws IOException {
        Problem problem = new Problem(null, title, status.value(), detail);
        byte[] body = mapper.writeValueAsBytes(problem);
        response.setStatus(status.value());
        response.setContentType(PROBLEM_JSON.toString());
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
