package io.minimq.broker.security;

import io.minimq.broker.api.ApiException;
import io.minimq.broker.api.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Charges one record to the client for every API request that is not a produce (produces are
 * charged their record count by their controller, once the body is parsed).
 */
final class RateLimitFilter extends OncePerRequestFilter {

    private final ClientRateLimiter limiter;
    private final Problems problems;

    RateLimitFilter(ClientRateLimiter limiter, Problems problems) {
        this.limiter = limiter;
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getServletPath();
        boolean api = path.startsWith("/v1/") || path.equals("/v1") || path.equals("/consume") || path.equals("/nodes");
        return !api || request.getMethod().equals("POST");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            limiter.charge(request, 1);
        } catch (ApiException e) {
            response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(e.extensions().get("retryAfterSeconds")));
            problems.write(response, e.status(), e.title(), e.getMessage());
            return;
        }
        chain.doFilter(request, response);
    }
}
