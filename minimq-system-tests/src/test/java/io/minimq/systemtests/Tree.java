package io.minimq.systemtests;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A read-only walk over parsed YAML or JSON (maps, lists, scalars), so that the tests can say
 * {@code pod.at("spec", "containers")} and get a readable failure naming the missing path.
 */
record Tree(Object value, String path) {

    static Tree of(Object value) {
        return new Tree(value, "");
    }

    /** The child at {@code keys} (map keys, or list indexes as numbers); missing → empty tree. */
    Tree at(Object... keys) {
        Object current = value;
        StringBuilder where = new StringBuilder(path);
        for (Object key : keys) {
            where.append('/').append(key);
            if (current instanceof Map<?, ?> map) {
                current = map.get(String.valueOf(key));
            } else if (current instanceof List<?> list && key instanceof Integer index && index < list.size()) {
                current = list.get(index);
            } else {
                current = null;
            }
        }
        return new Tree(current, where.toString());
    }

    boolean exists() {
        return value != null;
    }

    String text() {
        if (value == null) {
            throw new AssertionError("missing: " + path);
        }
        return String.valueOf(value);
    }

    /** The text, or null when absent. */
    String textOrNull() {
        return value == null ? null : String.valueOf(value);
    }

    int number() {
        return Integer.parseInt(text());
    }

    boolean isTrue() {
        return Boolean.TRUE.equals(value) || "true".equals(value);
    }

    /** The items of a list (none when absent). */
    Stream<Tree> items() {
        if (value == null) {
            return Stream.empty();
        }
        if (!(value instanceof List<?> list)) {
            throw new AssertionError("not a list: " + path + " = " + value);
        }
        return java.util.stream.IntStream.range(0, list.size()).mapToObj(i -> new Tree(list.get(i), path + "/" + i));
    }

    /** The entries of a map as trees (none when absent). */
    Stream<Map.Entry<String, Tree>> entries() {
        if (value == null) {
            return Stream.empty();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new AssertionError("not a map: " + path + " = " + value);
        }
        return map.entrySet().stream().map(e -> Map.entry(String.valueOf(e.getKey()),
                new Tree(e.getValue(), path + "/" + e.getKey())));
    }

    /** The first list item whose {@code key} equals {@code expected}. */
    Tree find(String key, String expected) {
        return items().filter(item -> Objects.equals(item.at(key).textOrNull(), expected)).findFirst()
                .orElseThrow(() -> new AssertionError("no item with " + key + "=" + expected + " in " + path));
    }

    /** The map as {@code Map<String, String>} (values as text). */
    Map<String, String> strings() {
        return entries().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().text()));
    }

    @Override
    public String toString() {
        return path + " = " + value;
    }
}
