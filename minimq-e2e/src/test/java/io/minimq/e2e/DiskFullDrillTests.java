package io.minimq.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minimq.testkit.AppProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Failure drill: the broker's data directory is a small tmpfs that fills up. Produce is refused
 * cleanly (507 problem+json, no 5xx crash), nothing already stored is damaged, and produce works
 * again once space is back, without a restart; a restart afterwards finds every acknowledged record.
 *
 * <p>Mounting needs root (as in CI); elsewhere the test is skipped with a message.
 */
class DiskFullDrillTests {

    private Path mount;
    private AppProcess broker;

    @AfterEach
    void cleanUp() throws Exception {
        MiniMq.stopAll(broker);
        if (mount != null) {
            run("umount", mount.toString());
        }
    }

    private static int run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    private String record(int i, int size) {
        return "{\"key\":\"k" + i + "\",\"value\":\"" + "x".repeat(size) + i + "\"}";
    }

    private HttpResponse<String> produce(int i, int size) {
        return Http.post(broker.url() + "/v1/topics/full/records", "{\"records\":[" + record(i, size) + "]}");
    }

    @Test
    void aFullDiskRefusesProduceCleanlyAndRecoversWhenSpaceReturns() throws Exception {
        Path dir = MiniMq.tempDir("tmpfs");
        int mounted = run("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", dir.toString());
        Assumptions.assumeTrue(mounted == 0, "disk-full drill skipped: mounting a tmpfs needs root (CI runs as root)");
        mount = dir;
        Path data = Files.createDirectories(dir.resolve("data"));
        broker = MiniMq.broker(data).with("minimq.broker.segment-bytes", "4194304").start();

        List<Integer> acknowledged = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            assertThat(produce(i, 1000).statusCode()).isEqualTo(201);
            acknowledged.add(i);
        }
        Path filler = dir.resolve("filler");
        fill(filler);

        HttpResponse<String> refused = null;
        for (int i = 50; i < 400 && refused == null; i++) {
            HttpResponse<String> response = produce(i, 60_000);
            if (response.statusCode() == 201) {
                acknowledged.add(i);
            } else {
                refused = response;
            }
        }
        assertThat(refused).as("a produce refused once the disk is full").isNotNull();
        assertThat(refused.statusCode()).isIn(507, 503);
        assertThat(refused.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        assertThat(refused.body()).doesNotContain(dir.toString()).doesNotContain("Exception");
        assertThat(broker.isAlive()).isTrue();
        assertStored(acknowledged);

        Files.delete(filler);
        int next = 1000;
        await().atMost(Duration.ofSeconds(30)).until(() -> produce(next, 1000).statusCode() == 201);
        acknowledged.add(next);

        broker.stop();
        broker.start();
        assertStored(acknowledged);
    }

    private void assertStored(List<Integer> acknowledged) {
        List<JsonNode> records = Http.readAll(broker.url(), "full");
        List<String> keys = records.stream().map(r -> r.get("key").asString()).toList();
        assertThat(keys).containsAll(acknowledged.stream().map(i -> "k" + i).toList());
        assertThat(keys).doesNotHaveDuplicates();
        for (JsonNode r : records) {
            String key = r.get("key").asString();
            assertThat(r.get("value").asString()).as(key).endsWith(key.substring(1));
        }
    }

    private static void fill(Path filler) {
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException expected) {
            // No space left on device: the disk is full now.
        }
    }
}
