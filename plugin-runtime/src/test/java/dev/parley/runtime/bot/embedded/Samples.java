package dev.parley.runtime.bot.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The sample definition shared by the tests (a copy of demo/acme-bot.yaml). */
final class Samples {

    private Samples() {
    }

    static String acmeYaml() {
        try (InputStream in = Samples.class.getResourceAsStream("/bot/acme-bot.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BotDefinition acme() {
        return BotDefinition.parse(acmeYaml());
    }
}
