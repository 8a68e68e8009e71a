package io.minimq.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The repository's {@code ./minimq} launcher run as a user runs it, with its state (data, logs,
 * pid files) in a directory of the test's choosing ({@code MINIMQ_STATE_DIR}).
 */
final class MinimqScript {

    private final Path stateDir;
    private final Map<String, String> environment = new HashMap<>(System.getenv());

    MinimqScript(Path stateDir) {
        this.stateDir = stateDir;
        environment.put("MINIMQ_STATE_DIR", stateDir.toString());
    }

    MinimqScript env(String name, String value) {
        if (value == null) {
            environment.remove(name);
        } else {
            environment.put(name, value);
        }
        return this;
    }

    Path stateDir() {
        return stateDir;
    }

    /** Runs a command that ends by itself ({@code status}, {@code down}, a failing {@code up}). */
    Result run(String... args) {
        try {
            Path out = Files.createTempFile(stateDir.getParent(), "minimq-out", ".txt");
            Path err = Files.createTempFile(stateDir.getParent(), "minimq-err", ".txt");
            Process process = builder(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("./minimq " + String.join(" ", args) + " did not end within 120 s");
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts a long-running command ({@code up}); stdout and stderr go to {@code output}. */
    Process start(Path output, String... args) {
        try {
            return builder(args).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Like {@link #start}, as the leader of a new process group ({@code setsid}, which runs the
     * script in the same process): {@code kill -INT -- -<pid>} is then what Ctrl-C does.
     */
    Process startInNewProcessGroup(Path output, String... args) {
        try {
            ProcessBuilder builder = builder(args);
            List<String> command = new ArrayList<>(List.of("setsid"));
            command.addAll(builder.command());
            return builder.command(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ProcessBuilder builder(String... args) {
        List<String> command = new ArrayList<>(List.of("bash", Repository.file("minimq").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(Repository.root().toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        return builder;
    }

    record Result(int exitCode, String stdout, String stderr) {

        List<String> stderrLines() {
            return stderr.lines().toList();
        }
    }
}
