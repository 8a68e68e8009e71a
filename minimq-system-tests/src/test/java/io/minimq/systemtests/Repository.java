package io.minimq.systemtests;

import io.minimq.testkit.AppProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * Facts about the MiniMQ source tree the deployment files must agree with: the module list
 * and version of the parent pom, and each app's {@code server.port}.
 */
final class Repository {

    /** The three runnable apps, by their short name as used in the deployment files. */
    static final List<String> APPS = List.of("broker", "agent", "dashboard");

    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
    private static final Pattern VERSION = Pattern.compile("</parent>.*?<version>([^<]+)</version>", Pattern.DOTALL);

    private Repository() {
    }

    static Path root() {
        return AppProcess.repoRoot();
    }

    static Path file(String relative) {
        return root().resolve(relative);
    }

    static String read(String relative) {
        try {
            return Files.readString(file(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String module(String app) {
        return "minimq-" + app;
    }

    /** The parent pom's {@code <modules>}, in order. */
    static List<String> modules() {
        List<String> modules = new ArrayList<>();
        Matcher matcher = MODULE.matcher(read("pom.xml"));
        while (matcher.find()) {
            modules.add(matcher.group(1).trim());
        }
        return List.copyOf(modules);
    }

    /** The project version, e.g. {@code 0.1.0-SNAPSHOT}. */
    static String version() {
        Matcher matcher = VERSION.matcher(read("pom.xml"));
        if (!matcher.find()) {
            throw new IllegalStateException("no project version in pom.xml");
        }
        return matcher.group(1).trim();
    }

    /**
     * {@code server.port} from the app's own {@code application.yaml}, or {@code application.properties}
     * (the agent's, which keeps SnakeYAML off its class path): the port everything must use.
     */
    static int serverPort(String app) {
        Path resources = file(module(app) + "/src/main/resources");
        Path yaml = resources.resolve("application.yaml");
        try {
            if (Files.exists(yaml)) {
                try (InputStream in = Files.newInputStream(yaml)) {
                    Map<String, Object> config = new Yaml().load(in);
                    return Integer.parseInt(String.valueOf(Tree.of(config).at("server", "port").value()));
                }
            }
            java.util.Properties properties = new java.util.Properties();
            try (InputStream in = Files.newInputStream(resources.resolve("application.properties"))) {
                properties.load(in);
            }
            return Integer.parseInt(properties.getProperty("server.port").trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
