package io.minimq.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minimq.testkit.AppProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The README's main command: {@code ./minimq up} on free ports (the environment overrides)
 * over the built jars serves all three, and the agent's samples reach the dashboard's
 * {@code /api/nodes} through the broker; then SIGTERM to the script (what Ctrl-C does in a terminal, via the
 * same trap) or {@code ./minimq down}; afterwards no JVM it started may be left running.
 * Plus the one-line errors for a busy port and a missing or too old Java.
 */
class LauncherTests {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tmp;

    @Test
    void upStartsAllThreeOnTheGivenPortsAndSigtermStopsThemAll() throws Exception {
        Map<String, Integer> ports = freePorts();
        MinimqScript minimq = script(ports);
        Path output = tmp.resolve("up.txt");
        Process up = minimq.start(output, "up");
        try {
            awaitOutput(up, output, "Dashboard: http://localhost:" + ports.get("dashboard"));
            Map<String, Long> pids = appPids(minimq);
            ports.forEach((app, port) -> assertThat(status(port, "/actuator/health/readiness")).as(app)
                    .isEqualTo(200));
            assertThat(arguments(pids.get("broker"))).contains("--server.port=" + ports.get("broker"),
                    "--minimq.broker.data-dir=" + minimq.stateDir().resolve("data"));
            assertThat(arguments(pids.get("agent"))).contains("--server.port=" + ports.get("agent"),
                    "--minimq.agent.broker-url=http://localhost:" + ports.get("broker"))
                    .contains("-Xmx32m");
            assertThat(arguments(pids.get("dashboard"))).contains("--server.port=" + ports.get("dashboard"),
                    "--minimq.dashboard.broker-url=http://localhost:" + ports.get("broker"));
            assertThat(Files.readString(minimq.stateDir().resolve("logs/broker.log"))).contains("Started");
            // The pipeline works end to end: the agent's samples reach the dashboard through the broker.
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                JsonNode nodes = JSON.readTree(get(ports.get("dashboard"), "/api/nodes"));
                assertThat(nodes.isArray() && !nodes.isEmpty()).as("/api/nodes: " + nodes).isTrue();
                assertThat(nodes.get(0).path("cpu").isNumber()).as("/api/nodes: " + nodes).isTrue();
            });

            MinimqScript.Result status = minimq.run("status");
            assertThat(status.exitCode()).as(status.stdout()).isZero();
            assertThat(status.stdout().lines().filter(line -> line.endsWith("ready"))).hasSize(3);

            up.destroy(); // SIGTERM
            assertThat(up.waitFor(90, TimeUnit.SECONDS)).as("the launcher ends after SIGTERM").isTrue();
            assertNoneAlive(pids);
            assertThat(Files.readString(output)).contains("minimq: stopped");
            assertThat(up.exitValue()).isZero();
            assertThat(minimq.run("status").exitCode()).as("status once stopped").isEqualTo(3);
        } finally {
            up.destroyForcibly();
        }
    }

    @Test
    void ctrlCInTheTerminalStopsAllThree() throws Exception {
        Map<String, Integer> ports = freePorts();
        MinimqScript minimq = script(ports);
        Path output = tmp.resolve("up.txt");
        // Its own process group, as a terminal gives a foreground command; Ctrl-C sends SIGINT
        // to the whole group: the script and the three JVMs.
        Process up = minimq.startInNewProcessGroup(output, "up");
        try {
            awaitOutput(up, output, "MiniMQ is up");
            Map<String, Long> pids = appPids(minimq);

            Process ctrlC = new ProcessBuilder("kill", "-INT", "--", "-" + up.pid()).inheritIO().start();
            assertThat(ctrlC.waitFor()).isZero();

            assertThat(up.waitFor(90, TimeUnit.SECONDS)).as("the launcher ends after Ctrl-C").isTrue();
            assertNoneAlive(pids);
            assertThat(Files.readString(output)).contains("minimq: stopping", "minimq: stopped");
            assertThat(Files.readString(minimq.stateDir().resolve("logs/broker.log")))
                    .contains("Graceful shutdown complete");
        } finally {
            up.destroyForcibly();
        }
    }

    @Test
    void downStopsARunningUpFromAnotherTerminal() throws Exception {
        Map<String, Integer> ports = freePorts();
        MinimqScript minimq = script(ports);
        Path output = tmp.resolve("up.txt");
        Process up = minimq.start(output, "up");
        try {
            awaitOutput(up, output, "MiniMQ is up");
            Map<String, Long> pids = appPids(minimq);

            MinimqScript.Result second = minimq.run("up");
            assertThat(second.exitCode()).as("a second up").isEqualTo(1);
            assertThat(second.stderrLines()).singleElement().asString().contains("already running");

            MinimqScript.Result down = minimq.run("down");
            assertThat(down.exitCode()).isZero();
            assertThat(down.stdout()).contains("stopped");
            assertThat(up.waitFor(30, TimeUnit.SECONDS)).as("the launcher ends after down").isTrue();
            assertNoneAlive(pids);
            assertThat(minimq.run("down").stdout()).contains("not running");
        } finally {
            up.destroyForcibly();
        }
    }

    @Test
    void aBusyPortIsOneClearLineAndNonZeroExit() throws IOException {
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Map<String, Integer> ports = freePorts();
            ports.put("agent", busy.getLocalPort());
            MinimqScript.Result up = script(ports).run("up");

            assertThat(up.exitCode()).isEqualTo(1);
            assertThat(up.stderrLines()).singleElement().asString()
                    .contains("port " + busy.getLocalPort(), "in use", "MINIMQ_AGENT_PORT");
            assertThat(up.stdout()).isEmpty();
        }
    }

    @Test
    void aTooOldJavaIsOneClearLineAndNonZeroExit() throws IOException {
        Path javaHome = tmp.resolve("jdk-11");
        Path java = Files.createDirectories(javaHome.resolve("bin")).resolve("java");
        // What a Java 11 prints for -XshowSettings:properties -version (on stderr).
        Files.writeString(java, """
                #!/bin/sh
                echo 'Property settings:' >&2
                echo '    java.specification.version = 11' >&2
                echo 'openjdk version "11.0.24" 2024-07-16' >&2
                """);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));

        MinimqScript.Result up = script(freePorts()).env("JAVA_HOME", javaHome.toString()).run("up");

        assertThat(up.exitCode()).isEqualTo(1);
        assertThat(up.stderrLines()).singleElement().asString().contains("Java 11", "too old", "17");
    }

    @Test
    void aMissingJavaIsOneClearLineAndNonZeroExit() throws IOException {
        // A PATH with every command of this machine except java.
        Path bin = Files.createDirectories(tmp.resolve("bin-without-java"));
        for (String dir : List.of("/usr/local/bin", "/usr/bin", "/bin")) {
            try (Stream<Path> commands = Files.list(Path.of(dir))) {
                for (Path command : commands.toList()) {
                    Path link = bin.resolve(command.getFileName());
                    if (!command.getFileName().toString().equals("java") && !Files.exists(link,
                            java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(link, command);
                    }
                }
            } catch (java.nio.file.NoSuchFileException e) {
                // not every system has each of these directories
            }
        }

        try {
            MinimqScript.Result up = script(freePorts()).env("JAVA_HOME", null).env("PATH", bin.toString())
                    .run("up");

            assertThat(up.exitCode()).isEqualTo(1);
            assertThat(up.stderrLines()).singleElement().asString().contains("Java not found", "JDK 17");
        } finally {
            deleteLinks(bin); // ourselves: @TempDir would warn about each link to outside it
        }
    }

    // ---- helpers ------------------------------------------------------------------------

    private MinimqScript script(Map<String, Integer> ports) {
        return new MinimqScript(tmp.resolve("state")).env("MINIMQ_BROKER_PORT", ports.get("broker").toString())
                .env("MINIMQ_AGENT_PORT", ports.get("agent").toString())
                .env("MINIMQ_DASHBOARD_PORT", ports.get("dashboard").toString())
                .env("MINIMQ_START_TIMEOUT", String.valueOf(START_TIMEOUT.toSeconds()))
                .env("MINIMQ_STATUS_INTERVAL", "2");
    }

    private static void deleteLinks(Path dir) throws IOException {
        try (Stream<Path> links = Files.list(dir)) {
            for (Path link : links.toList()) {
                Files.delete(link);
            }
        }
    }

    private static Map<String, Integer> freePorts() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String app : Repository.APPS) {
            int port;
            do {
                port = AppProcess.freePort();
            } while (ports.containsValue(port));
            ports.put(app, port);
        }
        return ports;
    }

    private static void awaitOutput(Process up, Path output, String expected) {
        await().atMost(START_TIMEOUT.plusSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            String text = Files.readString(output);
            if (!up.isAlive() && !text.contains(expected)) {
                throw new AssertionError("./minimq up exited with " + up.exitValue() + ":\n" + text);
            }
            return text.contains(expected);
        });
    }

    /** The pids ./minimq up wrote for the three apps; each must be a live process. */
    private static Map<String, Long> appPids(MinimqScript minimq) throws IOException {
        Map<String, Long> pids = new LinkedHashMap<>();
        for (String app : Repository.APPS) {
            long pid = Long.parseLong(Files.readString(minimq.stateDir().resolve("run/" + app + ".pid")).trim());
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as(app + " pid " + pid).contains(true);
            pids.put(app, pid);
        }
        return pids;
    }

    private static void assertNoneAlive(Map<String, Long> pids) {
        pids.forEach((app, pid) -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
                .as("the " + app + " JVM (pid " + pid + ") is still running").isEmpty());
    }

    private static List<String> arguments(long pid) {
        Optional<String[]> arguments = ProcessHandle.of(pid).flatMap(p -> p.info().arguments());
        return List.of(arguments.orElseThrow(() -> new AssertionError("no command line for pid " + pid)));
    }

    private static String get(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET " + path).isEqualTo(200);
        return response.body();
    }

    private static int status(int port, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
