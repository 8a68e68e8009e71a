package io.minimq.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minimq.testkit.AppProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The three Dockerfiles, read as Docker reads them, agree with their app (port, user, health
 * check, JVM settings, data directory) and their commands really work: with no Docker engine
 * here, the test extracts the built jar with the Dockerfile's own {@code -Djarmode=tools}
 * command, lays the layers out as its {@code COPY --from} lines do, starts the app with its
 * {@code ENTRYPOINT} and {@code ENV}, and runs its {@code HEALTHCHECK} command until healthy.
 */
@ExtendWith(RunningApps.Extension.class)
class DockerfilesTests {

    private static final Pattern EXTRACT = Pattern.compile("java -Djarmode=tools -jar (\\S+) extract [^&]+");
    private static final Pattern LAYER_COPY = Pattern.compile("--from=build /build/(\\S+)/ \\./");

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"broker", "agent", "dashboard"})
    void buildsFromTheRepositoryRootWithACachedDependencyLayer(String app) {
        Dockerfile.Stage build = Dockerfile.of(app).build();
        assertThat(build.from()).matches("eclipse-temurin:\\d+-jdk\\S* AS build");
        List<Dockerfile.Instruction> instructions = build.instructions();
        int sources = instructions.indexOf(new Dockerfile.Instruction("COPY", ". ."));
        assertThat(sources).as("COPY . . (the sources)").isPositive();
        List<String> before = instructions.subList(0, sources).stream()
                .map(i -> i.keyword() + " " + i.arguments()).toList();
        // Maven reads every module's pom even for one module: all of them before the sources.
        assertThat(before).contains("COPY mvnw pom.xml ./", "COPY .mvn/ .mvn/");
        for (String module : Repository.modules()) {
            assertThat(before).as("copies " + module + "/pom.xml first").contains(
                    "COPY " + module + "/pom.xml " + module + "/");
        }
        assertThat(before).anyMatch(i -> i.startsWith("RUN ") && i.contains("dependency:go-offline"));
        String packaging = build.all("RUN").get(build.all("RUN").size() - 1).arguments();
        assertThat(packaging).contains("-pl " + Repository.module(app) + " ", " package",
                "cp " + Repository.module(app) + "/target/" + Repository.module(app) + "-*.jar app.jar");
    }

    @ParameterizedTest
    @ValueSource(strings = {"broker", "agent", "dashboard"})
    void runtimeAgreesWithTheApp(String app) {
        Dockerfile.Stage runtime = Dockerfile.of(app).runtime();
        int port = Repository.serverPort(app);
        assertThat(runtime.from()).matches("eclipse-temurin:(21|25)-jre\\S*");
        assertThat(runtime.one("EXPOSE").arguments()).isEqualTo(String.valueOf(port));
        assertThat(runtime.env()).containsEntry("SERVER_PORT", String.valueOf(port));

        String user = runtime.one("USER").arguments();
        assertThat(user).as("a numeric non-root user (Kubernetes' runAsNonRoot can verify it)")
                .matches("[1-9]\\d*:[1-9]\\d*");
        String uid = user.substring(0, user.indexOf(':'));
        assertThat(runtime.all("RUN")).anyMatch(run -> run.arguments().contains("useradd")
                && run.arguments().contains("--uid " + uid));

        List<String> healthcheck = healthcheck(runtime);
        assertThat(healthcheck).containsExactly("healthcheck", "/actuator/health/readiness");
        assertThat(runtime.all("COPY")).anyMatch(c -> c.arguments().endsWith("deploy/docker/healthcheck "
                + "/usr/local/bin/healthcheck"));

        List<String> entrypoint = runtime.one("ENTRYPOINT").execForm();
        assertThat(entrypoint.get(0)).isEqualTo("java");
        assertThat(entrypoint.get(entrypoint.size() - 1))
                .isEqualTo("org.springframework.boot.loader.launch.JarLauncher");
        assertThat(entrypoint).contains("-XX:+ExitOnOutOfMemoryError");
    }

    @Test
    void brokerKeepsItsLogInAppDataOwnedByTheAppUser() {
        Dockerfile.Stage runtime = Dockerfile.of("broker").runtime();
        assertThat(runtime.env()).containsEntry("MINIMQ_BROKER_DATA_DIR", "/app/data");
        String user = runtime.one("USER").arguments();
        assertThat(runtime.all("RUN")).anyMatch(run -> run.arguments().contains("chown " + user + " /app/data"));
    }

    @Test
    void agentRunsWithItsSmallFootprintJvmOptionsFile() {
        Dockerfile.Stage runtime = Dockerfile.of("agent").runtime();
        assertThat(runtime.one("ENTRYPOINT").execForm()).contains("@jvm.options");
        assertThat(runtime.all("COPY")).anyMatch(c -> c.arguments().equals("minimq-agent/jvm.options jvm.options"));
        assertThat(agentMaxHeapBytes()).as("-Xmx in minimq-agent/jvm.options").isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"broker", "agent", "dashboard"})
    void theImageCommandsRunTheBuiltJar(String app, RunningApps apps) throws Exception {
        Dockerfile dockerfile = Dockerfile.of(app);
        Path appDir = layOutImage(dockerfile, app);

        Dockerfile.Stage runtime = dockerfile.runtime();
        int port = AppProcess.freePort();
        List<String> command = new ArrayList<>(runtime.one("ENTRYPOINT").execForm());
        command.set(0, javaExecutable());
        ProcessBuilder builder = new ProcessBuilder(command).directory(appDir.toFile()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("app.log").toFile());
        Map<String, String> env = builder.environment();
        env.putAll(runtime.env());
        // What only a container provides: its own port space and its /app/data.
        env.put("SERVER_PORT", String.valueOf(port));
        env.put("SERVER_ADDRESS", "127.0.0.1");
        env.computeIfPresent("MINIMQ_BROKER_DATA_DIR", (k, v) -> tmp.resolve("data").toString());
        // As in compose: a broker to deliver to (the agent's readiness includes delivery).
        env.put("MINIMQ_AGENT_BROKER_URL", apps.process("broker").url());
        env.put("MINIMQ_DASHBOARD_BROKER_URL", apps.process("broker").url());
        Process process = builder.start();
        try {
            awaitHealthy(runtime, port, process);
            if (app.equals("agent")) {
                assertThat(heapMaxBytes(port)).as("the JVM got the agent's jvm.options")
                        .isPositive().isLessThanOrEqualTo(agentMaxHeapBytes());
            }
            process.destroy();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("graceful exit on SIGTERM").isTrue();
        } finally {
            process.destroyForcibly();
        }
    }

    // ---- helpers ------------------------------------------------------------------------

    /** Runs the Dockerfile's extract command on the built jar, then copies the layers in COPY order. */
    private Path layOutImage(Dockerfile dockerfile, String app) throws Exception {
        Dockerfile.Stage build = dockerfile.build();
        String packaging = build.all("RUN").get(build.all("RUN").size() - 1).arguments();
        Matcher extract = EXTRACT.matcher(packaging);
        assertThat(extract.find()).as("the build stage extracts the layered jar: " + packaging).isTrue();
        Path buildDir = Files.createDirectories(tmp.resolve("build"));
        Files.copy(AppProcess.jar(Repository.module(app)), buildDir.resolve(extract.group(1)));
        List<String> command = new ArrayList<>(Arrays.asList(extract.group().strip().split(" ")));
        command.set(0, javaExecutable());
        Process process = new ProcessBuilder(command).directory(buildDir.toFile()).inheritIO().start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS) && process.exitValue() == 0).as(command.toString())
                .isTrue();

        Path appDir = Files.createDirectories(tmp.resolve("app"));
        List<String> layers = dockerfile.runtime().all("COPY").stream().map(c -> LAYER_COPY.matcher(c.arguments()))
                .filter(Matcher::find).map(m -> m.group(1)).toList();
        assertThat(layers).containsExactly("extracted/dependencies", "extracted/spring-boot-loader",
                "extracted/snapshot-dependencies", "extracted/application");
        for (String layer : layers) {
            copyTree(buildDir.resolve(layer), appDir);
        }
        // Files the runtime stage copies from the build context into its WORKDIR (jvm.options).
        for (Dockerfile.Instruction copy : dockerfile.runtime().all("COPY")) {
            String[] parts = copy.arguments().split(" ");
            if (parts.length == 2 && !parts[0].startsWith("--") && !parts[1].startsWith("/")) {
                Files.copy(Repository.file(parts[0]), appDir.resolve(parts[1]));
            }
        }
        return appDir;
    }

    private void awaitHealthy(Dockerfile.Stage runtime, int port, Process app) {
        List<String> check = new ArrayList<>(healthcheck(runtime));
        check.set(0, Repository.file("deploy/docker/healthcheck").toString());
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            if (!app.isAlive()) {
                throw new AssertionError("the app exited with " + app.exitValue() + ":\n"
                        + Files.readString(tmp.resolve("app.log")));
            }
            ProcessBuilder builder = new ProcessBuilder(check).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            builder.environment().put("SERVER_PORT", String.valueOf(port));
            Process probe = builder.start();
            return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
        });
    }

    private static List<String> healthcheck(Dockerfile.Stage runtime) {
        String arguments = runtime.one("HEALTHCHECK").arguments();
        int cmd = arguments.indexOf("CMD ");
        assertThat(cmd).as("HEALTHCHECK ... CMD [...]").isNotNegative();
        return new Dockerfile.Instruction("HEALTHCHECK", arguments.substring(cmd + 4)).execForm();
    }

    /** The -Xmx of minimq-agent/jvm.options in bytes, or -1 when it sets none. */
    private static long agentMaxHeapBytes() {
        Matcher xmx = Pattern.compile("^-Xmx(\\d+)([kmg])$", Pattern.MULTILINE | Pattern.CASE_INSENSITIVE)
                .matcher(Repository.read("minimq-agent/jvm.options"));
        if (!xmx.find()) {
            return -1;
        }
        int shift = switch (xmx.group(2).toLowerCase()) {
            case "k" -> 10;
            case "m" -> 20;
            default -> 30;
        };
        return Long.parseLong(xmx.group(1)) << shift;
    }

    /** The sum of the heap pools' maximum sizes the running JVM reports on /actuator/prometheus. */
    private static long heapMaxBytes(int port) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body().lines().filter(l -> l.startsWith("jvm_memory_max_bytes{") && l.contains("area=\"heap\""))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
