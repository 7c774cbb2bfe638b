package dev.parley.spi;

import java.util.Objects;

/**
 * A setting a connector declares. Read by the runtime from {@code parley.connection.<id>.<name>}.
 *
 * @param name         the property suffix, e.g. {@code api-key}
 * @param required     start fails with ERROR naming this field when it is missing or blank
 * @param secret       never logged, returned masked by the admin API, never in exception text
 * @param defaultValue used when the property is absent; {@code null} for none
 * @param description  one line for the configuration reference
 */
public record ConfigField(String name, boolean required, boolean secret, String defaultValue, String description) {

    public ConfigField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
    }

    public static ConfigField required(String name, String description) {
        return new ConfigField(name, true, false, null, description);
    }

    public static ConfigField secret(String name, String description) {
        return new ConfigField(name, true, true, null, description);
    }

    public static ConfigField optional(String name, String defaultValue, String description) {
        return new ConfigField(name, false, false, defaultValue, description);
    }

    public static ConfigField optionalSecret(String name, String description) {
        return new ConfigField(name, false, true, null, description);
    }
}
