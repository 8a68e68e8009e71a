package io.minimq.systemtests;

import io.minimq.testkit.AppProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two sides of the configuration reference: the keys the README's "## Configuration" table
 * documents, and the {@code minimq.*} properties the apps really bind, from the
 * {@code spring-configuration-metadata.json} the configuration processor writes into each jar
 * from the {@code @ConfigurationProperties} records.
 */
final class ConfigurationReference {

    private static final Pattern ROW_KEY = Pattern.compile("^\\|\\s*`([^`]+)`", Pattern.MULTILINE);

    private ConfigurationReference() {
    }

    /** The first key of each row of the README's configuration table, {@code [i]} indexes dropped. */
    static Set<String> documentedKeys() {
        String readme = Repository.read("README.md");
        int start = readme.indexOf("\n## Configuration");
        if (start < 0) {
            throw new AssertionError("README.md has no ## Configuration section");
        }
        int end = readme.indexOf("\n## ", start + 1);
        Matcher rows = ROW_KEY.matcher(readme.substring(start, end < 0 ? readme.length() : end));
        Set<String> keys = new TreeSet<>();
        while (rows.find()) {
            keys.add(rows.group(1).replaceAll("\\[[^]]*]", "").strip());
        }
        return Collections.unmodifiableSet(keys);
    }

    /** Every {@code minimq.*} property in the three apps' configuration metadata. */
    static Set<String> boundProperties() {
        Set<String> properties = new TreeSet<>();
        for (String app : Repository.APPS) {
            try (ZipFile jar = new ZipFile(AppProcess.jar(Repository.module(app)).toFile())) {
                for (ZipEntry entry : Collections.list(jar.entries())) {
                    if (entry.getName().endsWith("META-INF/spring-configuration-metadata.json")
                            && !entry.getName().startsWith("BOOT-INF/lib/")) {
                        try (InputStream in = jar.getInputStream(entry)) {
                            JsonNode metadata = JsonMapper.builder().build().readTree(in);
                            metadata.path("properties").forEach(p -> properties.add(p.path("name").asString()));
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        properties.removeIf(name -> !name.startsWith("minimq."));
        return Collections.unmodifiableSet(properties);
    }

    /**
     * True when the documented key names the property, a group of properties containing it
     * ({@code minimq.agent.interval} or {@code minimq.agent.interval.*}), or an entry inside
     * a map or list property ({@code minimq.broker.security.tokens[0].token}).
     */
    static boolean covers(String documented, String property) {
        String key = documented.endsWith(".*") ? documented.substring(0, documented.length() - 2) : documented;
        return key.equals(property) || property.startsWith(key + ".") || key.startsWith(property + ".");
    }
}
