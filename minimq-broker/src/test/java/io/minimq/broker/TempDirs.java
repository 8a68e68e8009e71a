package io.minimq.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Fresh temporary directories for brokers started by tests (never ./data). */
public final class TempDirs {

    private TempDirs() {
    }

    public static Path create() {
        try {
            return Files.createTempDirectory("minimq-broker-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
