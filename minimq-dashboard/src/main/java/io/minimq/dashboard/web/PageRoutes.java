package io.minimq.dashboard.web;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/** The two pages: {@code /} the cluster view, {@code /topics} the topic browser (static HTML + small scripts). */
@Configuration(proxyBeanMethods = false)
class PageRoutes {

    @Bean
    RouterFunction<ServerResponse> pages(@Value("classpath:/static/index.html") Resource cluster,
            @Value("classpath:/static/topics.html") Resource topics) {
        return route(GET("/"), request -> html(cluster))
                .andRoute(GET("/topics"), request -> html(topics));
    }

    private static reactor.core.publisher.Mono<ServerResponse> html(Resource page) {
        return ServerResponse.ok().contentType(MediaType.TEXT_HTML).bodyValue(page);
    }
}
