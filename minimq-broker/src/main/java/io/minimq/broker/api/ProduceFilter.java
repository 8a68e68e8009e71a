package io.minimq.broker.api;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Serves {@code POST /v1/topics/{topic}/records} with a JSON body below Spring MVC: the
 * records endpoint of a busy broker, where the dispatcher's handler lookup, argument
 * resolution and the filters after this one cost about a quarter of a produce's CPU
 * (bench/NOTES.md, "Third round"). It runs after the token check and the rate limit, and its errors go
 * through the same {@link HandlerExceptionResolver} as a controller's, so the answers are
 * those of {@link RecordsController} to the byte.
 *
 * <p>It only takes what it can recognize cheaply and exactly (see {@link #topicOf}); anything
 * else, such as a percent-encoded topic, a trailing slash or an unusual spelling of the JSON
 * content type, goes on to Spring MVC, which stays the reference.
 */
final class ProduceFilter implements Filter {

    private static final String PREFIX = "/v1/topics/";
    private static final String SUFFIX = "/records";
    private static final String JSON = "application/json";

    private final ProduceHandler handler;
    private final HandlerExceptionResolver exceptionResolver;

    ProduceFilter(ProduceHandler handler, HandlerExceptionResolver exceptionResolver) {
        this.handler = handler;
        this.exceptionResolver = exceptionResolver;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        String topic = "POST".equals(request.getMethod()) && isJson(request.getContentType())
                ? topicOf(request.getRequestURI()) : null;
        if (topic == null) {
            chain.doFilter(req, res);
            return;
        }
        HttpServletResponse response = (HttpServletResponse) res;
        try {
            handler.produce(topic, request, response);
        } catch (Exception e) {
            if (exceptionResolver.resolveException(request, response, null, e) == null) {
                throw e;
            }
        }
    }

    /**
     * The topic of a raw request URI shaped exactly {@code /v1/topics/<segment>/records} whose
     * segment has nothing to decode ({@code %}) and no path parameter ({@code ;}), else null.
     * Such a segment is what Spring MVC would bind as the path variable; names are checked by
     * the handler, as the controller does.
     */
    static String topicOf(String uri) {
        int end = uri.length() - SUFFIX.length();
        if (end <= PREFIX.length() || !uri.startsWith(PREFIX) || !uri.endsWith(SUFFIX)) {
            return null;
        }
        for (int i = PREFIX.length(); i < end; i++) {
            char c = uri.charAt(i);
            if (c == '/' || c == '%' || c == ';') {
                return null;
            }
        }
        return uri.substring(PREFIX.length(), end);
    }

    /** {@code application/json}, maybe with parameters, in any case; other spellings go to Spring MVC. */
    static boolean isJson(String contentType) {
        if (contentType == null || !contentType.regionMatches(true, 0, JSON, 0, JSON.length())) {
            return false;
        }
        return contentType.length() == JSON.length() || contentType.charAt(JSON.length()) == ';';
    }

    @Configuration(proxyBeanMethods = false)
    static class Registration {

        /** After the token check and the rate limit (security.SecurityConfiguration: +100, +101). */
        static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 200;

        @Bean
        FilterRegistrationBean<ProduceFilter> produceFilter(ProduceHandler handler,
                @Qualifier("handlerExceptionResolver") HandlerExceptionResolver exceptionResolver) {
            FilterRegistrationBean<ProduceFilter> registration =
                    new FilterRegistrationBean<>(new ProduceFilter(handler, exceptionResolver));
            registration.setOrder(ORDER);
            registration.addUrlPatterns(PREFIX + "*");
            return registration;
        }
    }
}
