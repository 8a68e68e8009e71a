package io.minimq.broker.security;

import io.minimq.broker.BrokerProperties;
import io.minimq.broker.api.Problems;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Registers the token check and, when configured, the rate limit, in that order, ahead of Spring MVC. */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    FilterRegistrationBean<BearerTokenFilter> bearerTokenFilter(BrokerProperties properties, Problems problems) {
        Tokens tokens = new Tokens(properties.security().tokens());
        AccessRules rules = new AccessRules(properties.security().protectMetrics());
        FilterRegistrationBean<BearerTokenFilter> registration =
                new FilterRegistrationBean<>(new BearerTokenFilter(tokens, rules, problems));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RateLimitFilter> rateLimitFilter(ClientRateLimiter limiter, Problems problems) {
        FilterRegistrationBean<RateLimitFilter> registration =
                new FilterRegistrationBean<>(new RateLimitFilter(limiter, problems));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 101);
        registration.setEnabled(limiter.enabled());
        return registration;
    }
}
