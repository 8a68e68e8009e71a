package io.minimq.broker.system;

import io.micrometer.observation.ObservationPredicate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * Spring's {@code http.server.requests} observation for every endpoint but the records ones
 * ({@code /v1/topics/{topic}/records}, {@code /produce}, {@code /consume}). Those are the hot
 * paths, and the generic observation (tags built, a timer and a long-task timer looked up per
 * request) cost about a fifth of the CPU of a one-record produce; they are measured by the
 * broker's own meters instead ({@code minimq_records_*}, {@code minimq_append_seconds},
 * {@code minimq_long_polls_waiting}; see {@link BrokerMetrics}). A long poll's duration would
 * only have blurred the request timings anyway.
 */
@Configuration(proxyBeanMethods = false)
class HttpObservations {

    @Bean
    ObservationPredicate skipRecordsEndpoints() {
        return (name, context) -> !(context instanceof ServerRequestObservationContext server
                && isRecordsPath(server.getCarrier().getRequestURI()));
    }

    static boolean isRecordsPath(String uri) {
        return (uri.startsWith("/v1/topics/") && uri.endsWith("/records")) || uri.equals("/produce") || uri.equals("/consume");
    }
}
