package dev.parley.runtime.bot.external;

import java.net.URI;
import java.time.Duration;
import org.eclipse.microprofile.config.Config;

/**
 * Settings of a {@link BotpressBot}, from MicroProfile Config properties {@code parley.agent.<id>.<name>}:
 *
 * <table>
 * <caption>Botpress agent properties</caption>
 * <tr><th>name</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code botpress.url}</td><td>required</td><td>Botpress server base URL, e.g.
 *     {@code http://botpress:3000}; Parley POSTs to {@code {url}/api/v1/bots/{bot-id}/converse/parley-<session>}</td></tr>
 * <tr><td>{@code botpress.bot-id}</td><td>required</td><td>the bot's id in Botpress</td></tr>
 * <tr><td>{@code botpress.token}</td><td>none</td><td>secret sent as {@code Authorization: Bearer <token>}</td></tr>
 * <tr><td>{@code botpress.timeout-ms}</td><td>10000</td><td>connect and read timeout of one request</td></tr>
 * </table>
 */
public record BotpressSettings(URI url, String botId, String token, Duration timeout) {

    public static final int DEFAULT_TIMEOUT_MS = 10_000;

    /** @throws IllegalStateException naming the property when a required one is missing or a value is invalid */
    public static BotpressSettings fromConfig(String agentId, Config config) {
        AgentProperties p = new AgentProperties(agentId, config);
        return new BotpressSettings(
                p.url("botpress.url", "Botpress server base URL, e.g. http://botpress:3000"),
                p.required("botpress.bot-id", "the bot's id in Botpress"),
                p.optional("botpress.token").orElse(null),
                p.millis("botpress.timeout-ms", DEFAULT_TIMEOUT_MS));
    }

    @Override
    public String toString() {
        return "BotpressSettings[url=" + url + ", botId=" + botId + ", token=" + (token == null ? "none" : "***")
                + ", timeout=" + timeout + "]";
    }
}
