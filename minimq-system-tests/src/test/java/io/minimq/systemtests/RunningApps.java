package io.minimq.systemtests;

import io.minimq.testkit.AppProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The broker, the agent and the dashboard running from their real fat jars, wired together as
 * in a deployment (the agent and the dashboard point at the broker). Started once for the
 * whole test run on first use and stopped (SIGTERM) when the run ends; test classes get it as
 * a parameter with {@code @ExtendWith(RunningApps.Extension.class)}.
 */
final class RunningApps implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Map<String, AppProcess> apps = new LinkedHashMap<>();

    private RunningApps(Path dataDir) {
        AppProcess broker = AppProcess.of("minimq-broker").with("minimq.broker.data-dir", dataDir.toString());
        apps.put("broker", broker.start());
        apps.put("agent", AppProcess.of("minimq-agent").with("minimq.agent.broker-url", broker.url()).start());
        apps.put("dashboard", AppProcess.of("minimq-dashboard").with("minimq.dashboard.broker-url", broker.url())
                .start());
    }

    /** The status code of GET {@code path} on {@code app}, or -1 when it does not answer. */
    int status(String app, String path) {
        return process(app).status(path);
    }

    /** The body of GET {@code path} on {@code app}; fails unless the answer is 200. */
    String get(String app, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(process(app).url() + path))
                .timeout(Duration.ofSeconds(10)).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("GET " + path + " on the " + app + ": " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends a JSON request to {@code app} and returns the status code. */
    int send(String app, String method, String path, String json) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(process(app).url() + path))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    AppProcess process(String app) {
        AppProcess process = apps.get(app);
        if (process == null) {
            throw new IllegalArgumentException("no app named '" + app + "'; expected one of " + apps.keySet());
        }
        return process;
    }

    @Override
    public void close() {
        apps.values().forEach(AppProcess::close);
    }

    /** Resolves a {@link RunningApps} parameter: one instance per test run. */
    static final class Extension implements ParameterResolver {

        private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
                .create(RunningApps.class);

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == RunningApps.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRoot().getStore(NAMESPACE).computeIfAbsent(RunningApps.class, key -> start(),
                    RunningApps.class);
        }

        private static RunningApps start() {
            try {
                return new RunningApps(Files.createTempDirectory("minimq-system-tests-data"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
