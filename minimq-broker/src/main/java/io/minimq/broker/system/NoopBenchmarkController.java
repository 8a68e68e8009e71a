package io.minimq.broker.system;

import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * For bench/api only, off unless {@code minimq.broker.bench.noop-endpoint=true}: a JSON POST
 * that does nothing and answers 204, behind the same Tomcat, filters and observation as the
 * real endpoints. It measures what the framework costs on this machine, in the same JVM and
 * the same run as the produce path, so the produce figures can be read against it.
 */
@Hidden
@RestController
@ConditionalOnProperty(name = "minimq.broker.bench.noop-endpoint", havingValue = "true")
class NoopBenchmarkController {

    @PostMapping(path = "/bench/noop", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void noop() {
    }
}
