package io.minimq.broker.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.minimq.broker.BrokerApplication;
import io.minimq.broker.TestHttp;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The broker on a really full disk (a 2 MiB tmpfs) and a data directory that cannot be
 * written (immutable), over HTTP: 507 problem+json while full, appends again once space is
 * back, readiness DOWN while the data directory cannot be written. Mounting needs root;
 * without it the tests are skipped, saying why.
 */
class DiskFullApiTests {

    @TempDir
    Path parent;

    private Path mount;
    private boolean mounted;

    @BeforeEach
    void mountSmallTmpfs() throws Exception {
        mount = Files.createDirectory(parent.resolve("small"));
        mounted = run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount.toString()) == 0;
        assumeTrue(mounted, "skipped: cannot mount a 2 MiB tmpfs (needs root), so no real disk-full condition");
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            run("chattr", "-R", "-i", mount.toString());
            run("umount", "-l", mount.toString());
        }
    }

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(BrokerApplication.class)
                .run("--server.port=0", "--minimq.broker.data-dir=" + mount.resolve("data"), "--minimq.broker.flush-interval=1h");
    }

    private static TestHttp http(ConfigurableApplicationContext context) {
        return new TestHttp(((WebServerApplicationContext) context).getWebServer().getPort());
    }

    @Test
    void aFullDiskIs507AndAppendsResumeWhenSpaceIsBack() throws Exception {
        Path filler = mount.resolve("filler");
        try (ConfigurableApplicationContext broker = start()) {
            TestHttp http = http(broker);
            Files.write(filler, new byte[1024 * 1024]);
            String batch = "{\"records\":[" + "{\"value\":\"0123456789012345678901234567890123456789\"},".repeat(99)
                    + "{\"value\":1}]}";
            HttpResponse<String> answer;
            int accepted = 0;
            while ((answer = http.post("/v1/topics/full/records", batch)).statusCode() == 201) {
                accepted += 100;
            }
            assertThat(answer.statusCode()).isEqualTo(507);
            assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
            assertThat(answer.body()).contains("\"title\":\"Insufficient storage\"").doesNotContain(mount.toString());
            assertThat(http.get("/v1/topics/full").body()).contains("\"endOffset\":" + accepted);

            Files.delete(filler);
            assertThat(http.post("/v1/topics/full/records", batch).statusCode()).isEqualTo(201);
            assertThat(http.get("/v1/topics/full/records?offset=" + accepted + "&limit=1").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void readinessIsDownWhileTheDataDirCannotBeWritten() throws Exception {
        try (ConfigurableApplicationContext broker = start()) {
            TestHttp http = http(broker);
            assertThat(http.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
            // the mount cannot go read-only under open files; an immutable directory refuses writes even to root
            assumeTrue(run("chattr", "+i", mount.resolve("data").toString()) == 0, "skipped: chattr +i not supported here");
            try {
                assertThat(http.get("/actuator/health/readiness").statusCode()).isEqualTo(503);
                assertThat(http.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
                HttpResponse<String> refused = http.post("/v1/topics/ro/records", "{\"records\":[{\"value\":1}]}");
                assertThat(refused.statusCode()).as(refused.body()).isIn(503, 507);
            } finally {
                run("chattr", "-i", mount.resolve("data").toString());
            }
            assertThat(http.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        }
    }

    private static int run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }
}
