package io.minimq.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One of MiniMQ's apps run from its real fat jar ({@code <module>/target/<module>-<version>.jar})
 * as a child JVM on a loopback port, the way a user runs it. Used by tests that need a real
 * broker (or agent, or dashboard) in another process: they can stop it, {@code kill -9} it and
 * start it again on the same port and data.
 *
 * <p>Not thread-safe; one test drives one instance.
 */
public final class AppProcess implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final String module;
    private final int port;
    private final Map<String, String> properties;
    private final List<String> jvmArgs;
    private final Path logFile;
    private Process process;

    private AppProcess(String module, int port, Map<String, String> properties, List<String> jvmArgs) {
        this.module = module;
        this.port = port;
        this.properties = properties;
        this.jvmArgs = jvmArgs;
        this.logFile = repoRoot().resolve(module).resolve("target").resolve("app-" + module + "-" + port + ".log");
    }

    /** An app of {@code module} (e.g. {@code minimq-broker}) on a free port, not started yet. */
    public static AppProcess of(String module) {
        return new AppProcess(module, freePort(), new LinkedHashMap<>(), new ArrayList<>());
    }

    /** Adds a Spring property, passed as {@code --key=value}. */
    public AppProcess with(String key, String value) {
        properties.put(key, value);
        return this;
    }

    /** Adds a JVM option such as {@code -Xmx64m}. */
    public AppProcess jvm(String option) {
        jvmArgs.add(option);
        return this;
    }

    /** Starts the JVM and waits until {@code /actuator/health/readiness} answers 200. */
    public AppProcess start() {
        startNoWait();
        awaitReady();
        return this;
    }

    /** Starts the JVM without waiting for readiness. */
    public AppProcess startNoWait() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(module + " is already running on port " + port);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-jar");
        command.add(jar(module).toString());
        command.add("--server.port=" + port);
        command.add("--server.address=127.0.0.1");
        properties.forEach((k, v) -> command.add("--" + k + "=" + v));
        try {
            Files.createDirectories(logFile.getParent());
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + module, e);
        }
        return this;
    }

    /** Waits until the app reports ready, failing with the end of its log when it does not. */
    public void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(module + " exited with " + process.exitValue() + ":\n" + logTail());
            }
            if (status("/actuator/health/readiness") == 200) {
                return;
            }
            sleep(200);
        }
        throw new IllegalStateException(module + " not ready after " + READY_TIMEOUT + ":\n" + logTail());
    }

    /** SIGTERM, then waits for a graceful exit; returns the exit code. */
    public int stop() {
        if (process == null) {
            return -1;
        }
        process.destroy();
        return waitFor();
    }

    /** SIGKILL: the process dies at once, as with {@code kill -9}. */
    public void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        waitFor();
    }

    private int waitFor() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>} */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public Path logFile() {
        return logFile;
    }

    /** The last lines of the app's log, for failure messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The HTTP status of a GET on this app, or -1 when nothing answers. */
    public int status(String path) {
        try {
            return Http.CLIENT.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void close() {
        if (isAlive()) {
            stop();
        }
    }

    /** The fat jar of a module, built by {@code ./mvnw package}. */
    public static Path jar(String module) {
        Path target = repoRoot().resolve(module).resolve("target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> {
                String name = p.getFileName().toString();
                return name.startsWith(module + "-") && name.endsWith(".jar") && !name.endsWith("-sources.jar")
                        && !name.endsWith("-javadoc.jar");
            }).findFirst().orElseThrow(() -> new IllegalStateException(
                    "no fat jar in " + target + ": build it first (./mvnw -B package -pl " + module + ")"));
        } catch (IOException e) {
            throw new IllegalStateException("no fat jar in " + target + ": build it first", e);
        }
    }

    /** The repository root: the nearest directory upwards from the working directory with {@code mvnw}. */
    public static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("not inside the MiniMQ repository: " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /** A TCP port free on loopback right now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static final class Http {
        static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }
}
