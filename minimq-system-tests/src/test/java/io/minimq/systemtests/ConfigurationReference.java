package io.minimq.systemtests;

import io.minimq.testkit.AppProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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

    private static final Pattern FIRST_CELL = Pattern.compile("^\\|([^|]*)\\|", Pattern.MULTILINE);
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    private ConfigurationReference() {
    }

    /**
     * The keys each row of the README's configuration table names in its first cell, with
     * {@code [i]} indexes dropped. A row may name siblings after the first key:
     * {@code `minimq.agent.interval.mem` / `.disk`} or {@code `retry-min` / `retry-max`}.
     */
    static Set<String> documentedKeys() {
        String readme = Repository.read("README.md");
        int start = readme.indexOf("\n## Configuration");
        if (start < 0) {
            throw new AssertionError("README.md has no ## Configuration section");
        }
        int end = readme.indexOf("\n## ", start + 1);
        Matcher rows = FIRST_CELL.matcher(readme.substring(start, end < 0 ? readme.length() : end));
        Set<String> keys = new TreeSet<>();
        while (rows.find()) {
            keys.addAll(keysOfCell(rows.group(1)));
        }
        return Collections.unmodifiableSet(keys);
    }

    private static List<String> keysOfCell(String cell) {
        Matcher code = CODE.matcher(cell);
        List<String> keys = new ArrayList<>();
        while (code.find()) {
            String token = code.group(1).replaceAll("\\[[^]]*]", "").strip();
            if (keys.isEmpty()) {
                keys.add(token);
                continue;
            }
            String first = keys.get(0);
            String parent = first.contains(".") ? first.substring(0, first.lastIndexOf('.')) : "";
            if (token.startsWith(".")) {
                keys.add(parent + token);
            } else if (token.matches("[a-z0-9-]+")) {
                keys.add(parent + "." + token);
            } else if (token.startsWith("minimq.")) {
                keys.add(token);
            }
        }
        return keys;
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
