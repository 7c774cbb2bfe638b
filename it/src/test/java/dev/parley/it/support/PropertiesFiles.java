package dev.parley.it.support;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Writes a {@code .properties} file (for {@code --systemProperties}) that {@link Properties#load} reads back
 * exactly: keys sorted, {@code \ : = # !} and leading blanks escaped, non-ASCII as {@code \}{@code uXXXX} so the
 * file reads the same as ISO-8859-1 or UTF-8.
 */
public final class PropertiesFiles {

    private PropertiesFiles() {
    }

    public static void write(Path file, Map<String, String> values, String comment) {
        StringBuilder out = new StringBuilder();
        if (comment != null) {
            for (String line : comment.split("\n")) {
                out.append("# ").append(escape(line, false)).append('\n');
            }
        }
        for (Map.Entry<String, String> e : new TreeMap<>(values).entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            out.append(escape(e.getKey(), true)).append('=').append(escape(e.getValue(), false)).append('\n');
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, out, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public static Map<String, String> read(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        Map<String, String> result = new LinkedHashMap<>();
        new TreeMap<>(p).forEach((k, v) -> result.put((String) k, (String) v));
        return result;
    }

    static String escape(String s, boolean isKey) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\f' -> b.append("\\f");
                case '=', ':', '#', '!' -> b.append('\\').append(c);
                case ' ' -> b.append(isKey || i == 0 ? "\\ " : " ");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
