package io.minimq.broker.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.minimq.broker.BrokerProperties;
import io.minimq.broker.storage.NewRecord;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * The fast path is held to the Jackson path: whatever it accepts, Jackson must accept with the
 * same records (key, headers, value bytes), on generated bodies and on thousands of mutations
 * of them. And it must really take the common bodies, or it would be dead weight.
 */
class FastProduceScannerTests {

    private static final int MAX_RECORDS = 50;
    private static final int MAX_RECORD_BYTES = 2000;

    private final ProduceRequestParser parser = new ProduceRequestParser(properties());

    private static BrokerProperties properties() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", Map.of(
                "minimq.broker.max-record-bytes", String.valueOf(MAX_RECORD_BYTES),
                "minimq.broker.max-records-per-request", String.valueOf(MAX_RECORDS))));
        return Binder.get(environment).bindOrCreate("minimq.broker", BrokerProperties.class);
    }

    private static List<NewRecord> fast(byte[] body) {
        return FastProduceScanner.scan(body, MAX_RECORDS, MAX_RECORD_BYTES);
    }

    @Test
    void takesTheBodiesClientsSend() {
        List<String> bodies = List.of(
                "{\"records\":[{\"key\":\"node-a\",\"value\":{\"node\":\"node-a\",\"metric\":\"cpu\",\"timestamp\":1764860400123,"
                        + "\"value\":12.5,\"unit\":\"percent\",\"details\":{\"perCore\":[10.0,15.25]}}}]}",
                " {\n  \"records\" : [ { \"value\" : \"caf\u00e9 \\\"\u2603\\\" \\u00e9 \ud83d\ude00\" , \"headers\" : { \"a\" : \"b\" } } ] }\r\n",
                "{\"records\":[{\"value\":null,\"key\":null,\"headers\":null},{\"value\":[true,false,-0,1e5,2.5E-3,-12.0e+2,{}]}]}",
                "{\"extra\":{\"nested\":[1,{\"x\":\"y\"}]},\"records\":[{\"value\":1,\"other\":[]}],\"more\":\"\"}");
        for (String body : bodies) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            List<NewRecord> fast = fast(bytes);
            assertThat(fast).as(body).isNotNull();
            assertSame(fast, parser.parseRecordsWithJackson(bytes), bytes);
        }
    }

    @Test
    void leavesUnusualAndBadBodiesToJackson() {
        List<String> bodies = List.of(
                "{\"records\":[]}", "{}", "{\"records\":[{\"key\":\"k\"}]}", "{\"records\":[{\"value\":01}]}",
                "{\"records\":[{\"value\":1.}]}", "{\"records\":[{\"value\":.5}]}", "{\"records\":[{\"value\":+1}]}",
                "{\"records\":[{\"value\":NaN}]}", "{\"records\":[{\"value\":[1,]}]}", "{\"records\":[{\"value\":{\"a\":1,}}]}",
                "{\"records\":[{\"value\":'x'}]}", "{\"records\":[{\"value\":nul}]}", "{\"records\":[{\"value\":nullx}]}",
                "{\"records\":[{\"value\":\"a\tb\"}]}", "{\"records\":[{\"value\":\"\\x\"}]}", "{\"records\":[{\"value\":\"\\u12g4\"}]}",
                "{\"records\":[{\"value\":1}]} x", "{\"records\":[{\"value\":1}]", "{\"records\":[{\"value\":1}]}}",
                "{\"records\":[{\"value\":1 /* c */}]}", "{\"records\":[{\"value\":1}],}", "[{\"value\":1}]",
                "{\"records\":[{\"value\":1,\"key\":\"k\\u0041\"}]}", "{\"records\":[{\"value\":1,\"key\":5}]}",
                "{\"records\":[{\"value\":1,\"headers\":{\"a\":1}}]}", "{\"re\\u0063ords\":[{\"value\":1}]}",
                "{\"records\":[{\"value\":\"" + "x".repeat(MAX_RECORD_BYTES) + "\"}]}",
                "{\"records\":[{\"value\":" + "[".repeat(FastProduceScanner.MAX_DEPTH + 1) + "]".repeat(FastProduceScanner.MAX_DEPTH + 1) + "}]}");
        for (String body : bodies) {
            assertThat(fast(body.getBytes(StandardCharsets.UTF_8))).as(body).isNull();
        }
        // bytes no string of Java can hold: overlong '/', a UTF-8 surrogate, a cut sequence, above U+10FFFF
        for (String hex : List.of("c0af", "eda080", "e282", "f4908080", "80", "ff")) {
            byte[] body = concat("{\"records\":[{\"value\":\"", HexFormat.of().parseHex(hex), "\"}]}");
            assertThat(fast(body)).as(hex).isNull();
        }
    }

    @Test
    void acceptsNothingJacksonRefusesOnGeneratedAndMutatedBodies() {
        Random random = new Random(20261204);
        int accepted = 0;
        int mutatedAccepted = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] body = new Generator(random).body();
            List<NewRecord> fast = fast(body);
            if (fast != null) {
                accepted++;
                assertSame(fast, jackson(body), body);
            }
            for (int m = 0; m < 10; m++) {
                byte[] mutated = mutate(body, random);
                List<NewRecord> fastMutated = fast(mutated);
                if (fastMutated != null) {
                    mutatedAccepted++;
                    assertSame(fastMutated, jackson(mutated), mutated);
                }
            }
        }
        // the generator mostly writes what the fast path is for; mutations keep some bodies valid
        assertThat(accepted).isGreaterThan(2000);
        assertThat(mutatedAccepted).isGreaterThan(1000);
    }

    private List<NewRecord> jackson(byte[] body) {
        try {
            return parser.parseRecordsWithJackson(body);
        } catch (ApiException e) {
            return fail("the fast path accepted a body Jackson refuses (%s): %s", e.getMessage(),
                    new String(body, StandardCharsets.UTF_8));
        }
    }

    private static void assertSame(List<NewRecord> fast, List<NewRecord> jackson, byte[] body) {
        String where = new String(body, StandardCharsets.UTF_8);
        assertThat(fast).as(where).hasSameSizeAs(jackson);
        for (int i = 0; i < fast.size(); i++) {
            assertThat(fast.get(i).key()).as(where).isEqualTo(jackson.get(i).key());
            assertThat(fast.get(i).headers()).as(where).isEqualTo(jackson.get(i).headers());
            assertThat(new String(fast.get(i).value(), StandardCharsets.UTF_8)).as(where)
                    .isEqualTo(new String(jackson.get(i).value(), StandardCharsets.UTF_8));
            assertThat(Arrays.equals(fast.get(i).value(), jackson.get(i).value())).as(where).isTrue();
        }
    }

    private static final byte[] INTERESTING = concat("{}[]\",:\\ \n\t0123456789eE+-.tfnulax/", HexFormat.of().parseHex(
            "00011f7f80bfc0c2dfe0e2edeff0f4f5ff"), "");

    private static byte[] mutate(byte[] body, Random random) {
        byte[] out = body.clone();
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits && out.length > 1; e++) {
            int at = random.nextInt(out.length);
            switch (random.nextInt(3)) {
                case 0 -> out[at] = INTERESTING[random.nextInt(INTERESTING.length)];
                case 1 -> out = splice(out, at, 1, new byte[0]);
                default -> out = splice(out, at, 0, new byte[] {INTERESTING[random.nextInt(INTERESTING.length)]});
            }
        }
        return out;
    }

    private static byte[] splice(byte[] in, int at, int remove, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(in, 0, at);
        out.writeBytes(insert);
        out.write(in, at + remove, in.length - at - remove);
        return out.toByteArray();
    }

    private static byte[] concat(String a, byte[] middle, String b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(middle);
        out.writeBytes(b.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** Random produce bodies in the grammar, with random whitespace and extra members. */
    private static final class Generator {

        private static final String[] STRINGS = {"", "a", "node-a", "caf\u00e9", "\u2603", "\ud83d\ude00", "\\\"q\\\"",
            "\\\\", "\\/", "\\b\\f\\n\\r\\t", "\\u0041", "\\ud83d\\ude00", "\u007f", "x y"};
        private static final String[] NUMBERS = {"0", "-0", "1", "-1", "12.5", "0.001", "1e5", "1E+5", "2.5e-3", "-12.0E+02",
            "1764860400123", "123456789012345678901234567890"};

        private final Random random;
        private final StringBuilder out = new StringBuilder();

        Generator(Random random) {
            this.random = random;
        }

        byte[] body() {
            ws();
            out.append('{');
            List<Runnable> members = new ArrayList<>();
            members.add(() -> {
                out.append("\"records\"");
                ws();
                out.append(':');
                ws();
                records();
            });
            if (random.nextInt(4) == 0) {
                members.add(() -> {
                    out.append("\"extra\":");
                    value(0);
                });
            }
            java.util.Collections.shuffle(members, random);
            for (int i = 0; i < members.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                ws();
                members.get(i).run();
                ws();
            }
            out.append('}');
            ws();
            return out.toString().getBytes(StandardCharsets.UTF_8);
        }

        private void records() {
            out.append('[');
            int n = 1 + random.nextInt(4);
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    out.append(',');
                }
                ws();
                record();
                ws();
            }
            out.append(']');
        }

        private void record() {
            out.append('{');
            List<String> members = new ArrayList<>(List.of("value"));
            if (random.nextBoolean()) {
                members.add("key");
            }
            if (random.nextInt(3) == 0) {
                members.add("headers");
            }
            if (random.nextInt(5) == 0) {
                members.add("other");
            }
            java.util.Collections.shuffle(members, random);
            for (int i = 0; i < members.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                ws();
                out.append('"').append(members.get(i)).append('"');
                ws();
                out.append(':');
                ws();
                switch (members.get(i)) {
                    case "key" -> out.append(random.nextInt(4) == 0 ? "null" : "\"k" + random.nextInt(100) + "\"");
                    case "headers" -> headers();
                    default -> value(0);
                }
                ws();
            }
            out.append('}');
        }

        private void headers() {
            if (random.nextInt(4) == 0) {
                out.append("null");
                return;
            }
            out.append('{');
            int n = random.nextInt(3);
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append("\"h").append(i).append("\":\"v").append(random.nextInt(10)).append('"');
            }
            out.append('}');
        }

        private void value(int depth) {
            int kind = depth > 4 ? 2 + random.nextInt(4) : random.nextInt(6);
            switch (kind) {
                case 0 -> {
                    out.append('{');
                    int n = random.nextInt(4);
                    for (int i = 0; i < n; i++) {
                        if (i > 0) {
                            out.append(',');
                        }
                        ws();
                        out.append('"').append(STRINGS[random.nextInt(STRINGS.length)]).append('"');
                        ws();
                        out.append(':');
                        ws();
                        value(depth + 1);
                        ws();
                    }
                    out.append('}');
                }
                case 1 -> {
                    out.append('[');
                    int n = random.nextInt(4);
                    for (int i = 0; i < n; i++) {
                        if (i > 0) {
                            out.append(',');
                        }
                        ws();
                        value(depth + 1);
                        ws();
                    }
                    out.append(']');
                }
                case 2 -> out.append('"').append(STRINGS[random.nextInt(STRINGS.length)]).append('"');
                case 3 -> out.append(NUMBERS[random.nextInt(NUMBERS.length)]);
                case 4 -> out.append(new String[] {"true", "false", "null"}[random.nextInt(3)]);
                default -> out.append("{\"node\":\"node-a\",\"metric\":\"cpu\",\"timestamp\":1764860400123,\"value\":12.5}");
            }
        }

        private void ws() {
            if (random.nextInt(4) == 0) {
                out.append(new String[] {" ", "\n", "\t", "\r\n  "}[random.nextInt(4)]);
            }
        }
    }
}
