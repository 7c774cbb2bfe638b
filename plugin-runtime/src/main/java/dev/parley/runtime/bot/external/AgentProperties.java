package dev.parley.runtime.bot.external;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * Reads one agent's {@code parley.agent.<id>.<name>} properties for the external bots' settings records,
 * with errors that name the full property and say what it is for. Values are never echoed (some are secrets).
 */
final class AgentProperties {

    private final String agentId;
    private final Config config;

    AgentProperties(String agentId, Config config) {
        if (agentId == null || agentId.isBlank()) {
            throw new IllegalArgumentException("agent id is required");
        }
        this.agentId = agentId;
        this.config = config;
    }

    String key(String name) {
        return "parley.agent." + agentId + "." + name;
    }

    Optional<String> optional(String name) {
        return config.getOptionalValue(key(name), String.class).map(String::trim).filter(v -> !v.isEmpty());
    }

    String required(String name, String meaning) {
        return optional(name).orElseThrow(() -> new IllegalStateException(
                "agent '" + agentId + "': " + key(name) + " is required (" + meaning + ")"));
    }

    /** An absolute http(s) URL without a trailing slash. */
    URI url(String name, String meaning) {
        String raw = required(name, meaning);
        URI uri;
        try {
            uri = URI.create(raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("agent '" + agentId + "': " + key(name) + " is not a URL (" + meaning + ")");
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            throw new IllegalStateException("agent '" + agentId + "': " + key(name)
                    + " must be an absolute http(s) URL (" + meaning + ")");
        }
        return uri;
    }

    int positiveInt(String name, int defaultValue) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalStateException("agent '" + agentId + "': " + key(name) + " must be a positive integer, was '"
                + raw.get() + "'");
    }

    boolean bool(String name, boolean defaultValue) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        if (raw.get().equalsIgnoreCase("true") || raw.get().equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(raw.get());
        }
        throw new IllegalStateException("agent '" + agentId + "': " + key(name) + " must be true or false, was '"
                + raw.get() + "'");
    }

    Duration millis(String name, int defaultMillis) {
        return Duration.ofMillis(positiveInt(name, defaultMillis));
    }

    List<String> list(String name) {
        return optional(name).map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .distinct().toList()).orElse(List.of());
    }
}
