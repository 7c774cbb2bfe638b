package dev.parley.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.stream.Stream;

/** Small helpers for child-process log files. */
public final class Logs {

    private Logs() {
    }

    /** The last {@code lines} lines of a file (decoding errors replaced), or a note when it cannot be read. */
    public static String tail(Path file, int lines) {
        if (file == null || !Files.exists(file)) {
            return "(no log file " + file + ")";
        }
        Deque<String> last = new ArrayDeque<>(lines);
        try (Stream<String> s = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines()) {
            s.forEach(l -> {
                if (last.size() == lines) {
                    last.removeFirst();
                }
                last.addLast(l);
            });
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
        return String.join("\n", last);
    }

    /**
     * The first {@code max} log records at SEVERE (Payara's ODL format: a header line, then the message and the
     * exception's first line), ANSI colours stripped, for a short failure summary above the tail.
     */
    public static String severe(Path file, int max) {
        java.util.List<String> lines = read(file).lines().map(l -> l.replaceAll("\u001B\\[[0-9;]*m", "")).toList();
        StringBuilder b = new StringBuilder();
        int found = 0;
        for (int i = 0; i < lines.size() && found < max; i++) {
            if (lines.get(i).contains("[SEVERE]")) {
                found++;
                for (int j = i; j < Math.min(i + 3, lines.size()); j++) {
                    if (j > i && (lines.get(j).startsWith("[20") || lines.get(j).startsWith("\tat "))) {
                        break;
                    }
                    String l = lines.get(j);
                    b.append(l.length() > 600 ? l.substring(0, 600) + "..." : l).append('\n');
                }
            }
        }
        return found == 0 ? "(no SEVERE records)" : b.toString();
    }

    /** The whole file as text, "" if missing. */
    public static String read(Path file) {
        try {
            return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
