package io.minimq.broker.security;

import io.minimq.broker.api.Problems;
import io.minimq.broker.security.AccessRules.Need;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bearer-token authentication and role checks for the API, before any controller runs.
 * Missing or unknown token: 401 with {@code WWW-Authenticate}; known token without the role:
 * 403. Marks the request with the client's name (token, else remote address) for the rate
 * limiter. In open mode (no token configured) it only does the marking.
 */
final class BearerTokenFilter extends OncePerRequestFilter {

    /** Request attribute holding the name the rate limiter counts the client under. */
    static final String CLIENT_ATTRIBUTE = BearerTokenFilter.class.getName() + ".client";

    private static final Logger log = LoggerFactory.getLogger(BearerTokenFilter.class);
    private static final String BEARER = "Bearer ";

    private final Tokens tokens;
    private final AccessRules rules;
    private final Problems problems;

    BearerTokenFilter(Tokens tokens, AccessRules rules, Problems problems) {
        this.tokens = tokens;
        this.rules = rules;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (tokens.isEmpty()) {
            request.setAttribute(CLIENT_ATTRIBUTE, request.getRemoteAddr());
            chain.doFilter(request, response);
            return;
        }
        Need need = rules.need(request.getMethod(), request.getServletPath());
        Tokens.Grant grant = grant(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (need != Need.NOTHING) {
            if (grant == null) {
                log.debug("401 for {} {}", request.getMethod(), request.getServletPath());
                response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"minimq\"");
                problems.write(response, HttpStatus.UNAUTHORIZED, "Unauthorized",
                        "this endpoint needs an 'Authorization: Bearer <token>' header with a known token");
                return;
            }
            if (need.role() != null && !grant.allows(need.role())) {
                log.debug("403 for {} {} ({})", request.getMethod(), request.getServletPath(), grant.clientId());
                problems.write(response, HttpStatus.FORBIDDEN, "Forbidden",
                        "this token lacks the '" + need.role().name().toLowerCase() + "' role");
                return;
            }
        }
        request.setAttribute(CLIENT_ATTRIBUTE, grant != null ? grant.clientId() : request.getRemoteAddr());
        chain.doFilter(request, response);
    }

    private Tokens.Grant grant(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return tokens.find(authorization.substring(BEARER.length()).trim());
    }
}
