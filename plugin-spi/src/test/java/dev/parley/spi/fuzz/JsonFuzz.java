package dev.parley.spi.fuzz;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

import java.io.StringReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Webhook body generators for the property-based fuzz tests: random bytes, random strings, random JSON of any
 * shape, and (most of the time) mutations of a valid provider payload: fields dropped, values replaced by other
 * JSON types, huge numbers, wrong dates, duplicated keys, truncation. Every body is derived from a
 * {@link Random} that jqwik generates, so a failing try is reproduced by its seed.
 *
 * <p>Shared with the connectors' tests as plugin-spi's test-jar.
 */
public final class JsonFuzz {

    private JsonFuzz() {
    }

    /** How a body is made. */
    public enum Mode { MUTATED_VALID, VALID, RANDOM_JSON, RANDOM_STRING, RANDOM_BYTES, DEEP_NESTING, OTHER_ENCODING }

    /** Mostly mutations of valid payloads, so the fuzzer reaches the item parsers. */
    public static Arbitrary<Mode> modes() {
        return Arbitraries.frequency(
                net.jqwik.api.Tuple.of(12, Mode.MUTATED_VALID),
                net.jqwik.api.Tuple.of(2, Mode.VALID),
                net.jqwik.api.Tuple.of(3, Mode.RANDOM_JSON),
                net.jqwik.api.Tuple.of(1, Mode.RANDOM_STRING),
                net.jqwik.api.Tuple.of(1, Mode.RANDOM_BYTES),
                net.jqwik.api.Tuple.of(1, Mode.DEEP_NESTING),
                net.jqwik.api.Tuple.of(1, Mode.OTHER_ENCODING));
    }

    /** A body made from {@code valid} (a valid payload of the webhook) the way {@code mode} says. */
    public static byte[] body(Mode mode, String valid, Random r) {
        return switch (mode) {
            case VALID -> valid.getBytes(StandardCharsets.UTF_8);
            case MUTATED_VALID -> textMutations(write(mutate(parse(valid), r)), r).getBytes(StandardCharsets.UTF_8);
            case RANDOM_JSON -> textMutations(write(value(r, 1 + r.nextInt(5))), r).getBytes(StandardCharsets.UTF_8);
            case RANDOM_STRING -> randomString(r, r.nextInt(4) == 0 ? 5000 : 200).getBytes(StandardCharsets.UTF_8);
            case RANDOM_BYTES -> randomBytes(r);
            case DEEP_NESTING -> deep(r).getBytes(StandardCharsets.UTF_8);
            case OTHER_ENCODING -> otherEncoding(write(mutate(parse(valid), r)), r);
        };
    }

    // ---- a JSON model that can hold duplicate keys and raw number text --------------------------------

    /** A JSON node: {@link Raw} scalars (the JSON text as is), arrays and objects (keys may repeat). */
    public interface Node {
    }

    public record Raw(String text) implements Node {
    }

    public static final class Arr implements Node {
        public final List<Node> items = new ArrayList<>();
    }

    public static final class Obj implements Node {
        public final List<String> keys = new ArrayList<>();
        public final List<Node> values = new ArrayList<>();
    }

    public static Node parse(String json) {
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            return node(reader.readValue());
        }
    }

    private static Node node(JsonValue v) {
        if (v instanceof JsonObject o) {
            Obj obj = new Obj();
            for (Map.Entry<String, JsonValue> e : o.entrySet()) {
                obj.keys.add(e.getKey());
                obj.values.add(node(e.getValue()));
            }
            return obj;
        }
        if (v instanceof JsonArray a) {
            Arr arr = new Arr();
            a.forEach(x -> arr.items.add(node(x)));
            return arr;
        }
        if (v instanceof JsonString s) return new Raw(quote(s.getString()));
        if (v instanceof JsonNumber n) return new Raw(n.toString());
        return new Raw(v.toString());
    }

    public static String write(Node n) {
        StringBuilder sb = new StringBuilder();
        write(n, sb);
        return sb.toString();
    }

    private static void write(Node n, StringBuilder sb) {
        if (n instanceof Raw raw) {
            sb.append(raw.text());
        } else if (n instanceof Arr a) {
            sb.append('[');
            for (int i = 0; i < a.items.size(); i++) {
                if (i > 0) sb.append(',');
                write(a.items.get(i), sb);
            }
            sb.append(']');
        } else {
            Obj o = (Obj) n;
            sb.append('{');
            for (int i = 0; i < o.keys.size(); i++) {
                if (i > 0) sb.append(',');
                sb.append(quote(o.keys.get(i))).append(':');
                write(o.values.get(i), sb);
            }
            sb.append('}');
        }
    }

    /** A JSON string literal; control characters escaped, everything else (lone surrogates too) as is. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20) sb.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            else sb.append(c);
        }
        return sb.append('"').toString();
    }

    // ---- mutations -------------------------------------------------------------------------------------

    /** 1 to 5 structural mutations at random places of the tree. */
    public static Node mutate(Node root, Random r) {
        int count = 1 + r.nextInt(5);
        for (int i = 0; i < count; i++) {
            List<Node> containers = new ArrayList<>();
            collect(root, containers);
            if (containers.isEmpty()) return r.nextBoolean() ? root : value(r, 2);
            Node target = containers.get(r.nextInt(containers.size()));
            if (target instanceof Obj o) mutate(o, r);
            else mutate((Arr) target, r);
        }
        return root;
    }

    private static void collect(Node n, List<Node> out) {
        if (n instanceof Obj o) {
            out.add(o);
            o.values.forEach(v -> collect(v, out));
        } else if (n instanceof Arr a) {
            out.add(a);
            a.items.forEach(v -> collect(v, out));
        }
    }

    private static void mutate(Obj o, Random r) {
        int size = o.keys.size();
        int i = size == 0 ? -1 : r.nextInt(size);
        switch (i < 0 ? 5 : r.nextInt(9)) {
            case 0, 1 -> { // drop a field
                o.keys.remove(i);
                o.values.remove(i);
            }
            case 2, 3 -> o.values.set(i, scalar(r)); // another type or a strange value
            case 4 -> o.values.set(i, value(r, 2));
            case 5 -> { // a new field, with a known or random name
                o.keys.add(r.nextInt(o.keys.size() + 1), r.nextBoolean() ? key(r) : randomString(r, 10));
                o.values.add(o.keys.size() - 1, value(r, 2));
            }
            case 6 -> { // a duplicate key, before or after the original
                int at = r.nextBoolean() ? i : o.keys.size();
                o.keys.add(at, o.keys.get(i));
                o.values.add(at, r.nextBoolean() ? scalar(r) : o.values.get(i));
            }
            case 7 -> { // wrap the value in an array or an object
                Node v = o.values.get(i);
                if (r.nextBoolean()) {
                    Arr a = new Arr();
                    a.items.add(v);
                    o.values.set(i, a);
                } else {
                    Obj w = new Obj();
                    w.keys.add(o.keys.get(i));
                    w.values.add(v);
                    o.values.set(i, w);
                }
            }
            default -> o.keys.set(i, r.nextBoolean() ? o.keys.get(i).toUpperCase() : key(r)); // renamed
        }
    }

    private static void mutate(Arr a, Random r) {
        int size = a.items.size();
        int i = size == 0 ? -1 : r.nextInt(size);
        switch (i < 0 ? 2 : r.nextInt(6)) {
            case 0 -> a.items.remove(i);
            case 1 -> a.items.set(i, scalar(r));
            case 2 -> a.items.add(r.nextInt(size + 1), value(r, 2));
            case 3 -> { // many copies of one item
                int copies = 1 + r.nextInt(r.nextInt(20) == 0 ? 200 : 5);
                for (int k = 0; k < copies; k++) a.items.add(i, a.items.get(i));
            }
            case 4 -> Collections.shuffle(a.items, r);
            default -> a.items.set(i, value(r, 2));
        }
    }

    /** Text-level damage after the structural mutations: truncation, a stray character, a flipped byte. */
    public static String textMutations(String json, Random r) {
        int p = r.nextInt(20);
        if (json.isEmpty() || p >= 6) return json;
        int at = r.nextInt(json.length() + 1);
        return switch (p) {
            case 0, 1, 2 -> json.substring(0, at); // truncated
            case 3 -> json.substring(0, at) + "\"{[,:}]\\\u0000".charAt(r.nextInt(9)) + json.substring(at);
            case 4 -> json + (r.nextBoolean() ? " {}" : "garbage");
            default -> json.substring(0, at) + randomString(r, 5) + json.substring(at);
        };
    }

    // ---- random values ---------------------------------------------------------------------------------

    private static final String[] KEYS = {"results", "messageId", "from", "to", "text", "receivedAt", "doneAt",
            "sentAt", "status", "groupId", "groupName", "id", "name", "description", "error", "notificationType",
            "url", "recipient", "sendDateTime", "ticket_id", "external_id", "event", "events", "type", "payload",
            "conversation", "message", "author", "content", "mediaUrl", "source", "metadata", "parley",
            "activeSwitchboardIntegration", "integrationType", "displayName", "createdAt", "app", "webhook"};

    private static String key(Random r) {
        return KEYS[r.nextInt(KEYS.length)];
    }

    /** Any JSON value, nested up to {@code depth}. */
    public static Node value(Random r, int depth) {
        if (depth <= 0 || r.nextInt(3) == 0) return scalar(r);
        if (r.nextBoolean()) {
            Arr a = new Arr();
            int n = r.nextInt(5);
            for (int i = 0; i < n; i++) a.items.add(value(r, depth - 1));
            return a;
        }
        Obj o = new Obj();
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
            o.keys.add(r.nextInt(4) == 0 ? randomString(r, 8) : key(r));
            o.values.add(value(r, depth - 1));
        }
        return o;
    }

    /** A scalar, or an empty container: the values parsers stumble on. */
    public static Raw scalar(Random r) {
        String t = switch (r.nextInt(30)) {
            case 0, 1 -> "null";
            case 2 -> "true";
            case 3 -> "false";
            case 4 -> "0";
            case 5 -> "-1";
            case 6 -> Long.toString(r.nextLong());
            case 7 -> Integer.toString(r.nextInt(10));
            case 8 -> r.nextBoolean() ? "9223372036854775807" : "9223372036854775808";
            case 9 -> r.nextBoolean() ? "-9223372036854775808" : "-9223372036854775809";
            case 10 -> r.nextBoolean() ? "4294967297" : "-4294967293"; // int overflow to 1 and 3
            case 11 -> List.of("1e400", "-1e400", "1e-400", "1E999999999", "1e-999999999", "2.5E+10", "3.0",
                    "1.0000000000000000000001", "-0.0", "0e0", "1E2147483647", "5e-2147483648").get(r.nextInt(12));
            case 12 -> "9".repeat(1 + r.nextInt(r.nextBoolean() ? 30 : 3000)); // up to thousands of digits
            case 13 -> "0." + "0".repeat(r.nextInt(2000)) + "1";
            case 14 -> Double.toString(r.nextDouble() * Math.pow(10, r.nextInt(40) - 20));
            case 15 -> quote("");
            case 16 -> quote(" \t\n ");
            case 17, 18 -> quote(randomString(r, 40));
            case 19, 20, 21 -> quote(dateish(r));
            case 22 -> quote(List.of("12345678901234567890", "1e5", "-5", "0x10", " 42 ", "+7", "3.0", "NaN",
                    "Infinity", "007", "١٢٣", "1_000").get(r.nextInt(12)));
            case 23 -> quote("x".repeat(r.nextInt(r.nextInt(4) == 0 ? 20_000 : 100)));
            case 24 -> quote(List.of("CLICKED", "clicked", "OPENED", "DELIVERED", "PENDING", "UNDELIVERABLE",
                    "EXPIRED", "REJECTED", "NO_ERROR", "business", "user", "conversation:message",
                    "switchboard:passControl", "switchboard:releaseControl", "zd:agentWorkspace", "api:conversations",
                    "customer_comment", "agent_comment").get(r.nextInt(18)));
            case 25 -> "[]";
            case 26 -> "{}";
            case 27 -> quote("\u0000");
            case 28 -> quote("%s %n {{ticket.id}} ${x} '\"");
            default -> r.nextBoolean() ? "[null]" : "{\"\":null}";
        };
        return new Raw(t);
    }

    /** Valid and invalid timestamps in the shapes providers send and do not send. */
    public static String dateish(Random r) {
        List<String> pool = List.of("2019-11-09T16:00:00.000+0000", "2019-11-09T16:00:00Z", "2026-01-01T00:00:00Z",
                "2026-01-01T10:00:00.000Z", "2019-11-09", "16:00", "2019-13-45T25:61:61.000+0000",
                "+999999999-12-31T23:59:59.999999999+0000", "-999999999-01-01T00:00:00Z",
                "+999999999-12-31T23:59:59.999999999Z", "2019-11-09T16:00:00.000+2500", "2019-11-09T16:00:00.000+1800",
                "2019-11-09T16:00:00.0000000000+0000", "1704106800000", "999999999999999", "9999999999999999999",
                "-1", "0", "yesterday", "2019-11-09T16:00:00+18:00", "2019-11-09T16:00:00-18:01",
                "0000-00-00T00:00:00Z", "2019-11-09T16:00:00.000+00:00", "2019-02-29T00:00:00Z",
                "2019-11-09 16:00:00", "T", "2019-11-09T16:00:00.000+0000[Europe/Paris]", "1e3");
        return pool.get(r.nextInt(pool.size()));
    }

    /** Unicode of every kind: ASCII, control characters, lone surrogates, emoji, BOM, RTL, noncharacters. */
    public static String randomString(Random r, int max) {
        int n = r.nextInt(max + 1);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(10)) {
                case 0 -> sb.append((char) r.nextInt(0x20));
                case 1 -> sb.append((char) (0xD800 + r.nextInt(0x800))); // a lone surrogate
                case 2 -> sb.appendCodePoint(0x1F600 + r.nextInt(80));
                case 3 -> sb.append("\uFEFF\u202E\uFFFF\u00A0\u2028".charAt(r.nextInt(5)));
                case 4 -> sb.append((char) r.nextInt(0x10000));
                case 5 -> sb.append("{}[]\",:\\".charAt(r.nextInt(8)));
                default -> sb.append((char) (0x20 + r.nextInt(0x5F)));
            }
        }
        return sb.toString();
    }

    private static byte[] randomBytes(Random r) {
        byte[] b = new byte[r.nextInt(r.nextInt(10) == 0 ? 5000 : 300)];
        r.nextBytes(b);
        if (b.length >= 4 && r.nextBoolean()) { // a byte-order mark or a UTF-16/32 looking start
            byte[][] starts = {{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, {(byte) 0xFE, (byte) 0xFF},
                    {(byte) 0xFF, (byte) 0xFE}, {0, 0, (byte) 0xFE, (byte) 0xFF}, {(byte) 0xFF, (byte) 0xFE, 0, 0},
                    {0, '{'}, {'{', 0}, {0, 0, 0, '{'}, {'{', 0, 0, 0}, {'{'}};
            byte[] s = starts[r.nextInt(starts.length)];
            System.arraycopy(s, 0, b, 0, s.length);
        }
        return b;
    }

    private static String deep(Random r) {
        int n = 1 + r.nextInt(r.nextBoolean() ? 100 : 5000);
        String open = r.nextBoolean() ? "[" : "{\"results\":";
        String close = open.equals("[") ? "]" : "}";
        String inner = open.repeat(n) + "1" + (r.nextInt(4) == 0 ? "" : close.repeat(n));
        return r.nextBoolean() ? "{\"results\":[" + inner + "]}" : inner;
    }

    /** The (mutated) JSON in UTF-16 or UTF-32, maybe with a byte-order mark, maybe cut at an odd byte. */
    private static byte[] otherEncoding(String json, Random r) {
        String[] names = {"UTF-16BE", "UTF-16LE", "UTF-16", "UTF-32BE", "UTF-32LE", "ISO-8859-1"};
        byte[] b = json.getBytes(Charset.forName(names[r.nextInt(names.length)]));
        if (b.length > 0 && r.nextInt(3) == 0) b = java.util.Arrays.copyOf(b, r.nextInt(b.length));
        return b;
    }
}
