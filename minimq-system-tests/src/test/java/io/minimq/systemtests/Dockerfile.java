package io.minimq.systemtests;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Dockerfile read the way {@code docker build} reads it: comment lines dropped, lines ending
 * in a backslash joined, one instruction per line, split into stages at each {@code FROM}.
 */
record Dockerfile(String name, List<Stage> stages) {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern ENV_PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S+)");

    record Instruction(String keyword, String arguments) {

        /** The arguments of an exec-form instruction ({@code ["java", "-jar", ...]}). */
        List<String> execForm() {
            String json = arguments.startsWith("CMD ") ? arguments.substring(4).trim() : arguments;
            if (!json.startsWith("[")) {
                throw new AssertionError(keyword + " is not in exec form: " + arguments);
            }
            return List.of(JSON.readValue(json, String[].class));
        }
    }

    record Stage(String from, List<Instruction> instructions) {

        List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }

        Instruction one(String keyword) {
            List<Instruction> found = all(keyword);
            if (found.size() != 1) {
                throw new AssertionError("expected one " + keyword + " in the stage FROM " + from + ", found "
                        + found.size());
            }
            return found.get(0);
        }

        /** Every {@code ENV} of the stage as name → value. */
        Map<String, String> env() {
            Map<String, String> env = new LinkedHashMap<>();
            for (Instruction instruction : all("ENV")) {
                Matcher matcher = ENV_PAIR.matcher(instruction.arguments());
                while (matcher.find()) {
                    env.put(matcher.group(1), matcher.group(2).replace("\"", ""));
                }
            }
            return env;
        }
    }

    static Dockerfile of(String app) {
        String name = Repository.module(app) + "/Dockerfile";
        return parse(name, Repository.read(name));
    }

    static Dockerfile parse(String name, String text) {
        List<Stage> stages = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String raw : text.split("\n", -1)) {
            String trimmed = raw.strip();
            if (trimmed.startsWith("#")) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                line.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            line.append(trimmed);
            String instruction = line.toString().strip().replaceAll("\\s+", " ");
            line.setLength(0);
            if (instruction.isEmpty()) {
                continue;
            }
            int space = instruction.indexOf(' ');
            String keyword = instruction.substring(0, space).toUpperCase();
            String arguments = instruction.substring(space + 1);
            if (keyword.equals("FROM")) {
                stages.add(new Stage(arguments, new ArrayList<>()));
            } else if (stages.isEmpty()) {
                throw new AssertionError(name + ": " + keyword + " before the first FROM");
            } else {
                stages.get(stages.size() - 1).instructions().add(new Instruction(keyword, arguments));
            }
        }
        return new Dockerfile(name, List.copyOf(stages));
    }

    Stage build() {
        return stages.get(0);
    }

    Stage runtime() {
        return stages.get(stages.size() - 1);
    }
}
