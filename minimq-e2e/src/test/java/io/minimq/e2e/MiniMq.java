package io.minimq.e2e;

import io.minimq.testkit.AppProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Starts MiniMQ's three apps from their fat jars, wired to each other on loopback, like `./minimq up`. */
final class MiniMq {

    private MiniMq() {
    }

    static Path tempDir(String name) {
        try {
            return Files.createTempDirectory("minimq-e2e-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static AppProcess broker(Path dataDir) {
        return AppProcess.of("minimq-broker").with("minimq.broker.data-dir", dataDir.toString())
                .jvm("-Xmx256m");
    }

    static AppProcess agent(AppProcess broker, String node) {
        return AppProcess.of("minimq-agent").with("minimq.agent.broker-url", broker.url())
                .with("minimq.agent.node-name", node).with("minimq.agent.retry-max-backoff", "1s")
                .jvm("-Xmx64m");
    }

    static AppProcess dashboard(AppProcess broker) {
        return AppProcess.of("minimq-dashboard").with("minimq.dashboard.broker-url", broker.url())
                .jvm("-Xmx128m");
    }

    static void stopAll(AppProcess... apps) {
        for (AppProcess app : apps) {
            if (app != null) {
                app.close();
            }
        }
    }
}
