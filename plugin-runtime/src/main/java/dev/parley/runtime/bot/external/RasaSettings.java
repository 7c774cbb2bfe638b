package dev.parley.runtime.bot.external;

import java.net.URI;
import java.time.Duration;
import org.eclipse.microprofile.config.Config;

/**
 * Settings of a {@link RasaBot}, from MicroProfile Config properties {@code parley.agent.<id>.<name>}:
 *
 * <table>
 * <caption>Rasa agent properties</caption>
 * <tr><th>name</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code rasa.url}</td><td>required</td><td>Rasa server base URL, e.g. {@code http://rasa:5005};
 *     Parley POSTs to {@code {url}/webhooks/rest/webhook} (the {@code rest} channel must be enabled in
 *     Rasa's {@code credentials.yml})</td></tr>
 * <tr><td>{@code rasa.token}</td><td>none</td><td>secret sent as {@code Authorization: Bearer <token>}. Rasa's
 *     own {@code --auth-token} guards its HTTP API, not the channel webhooks, so this is for a reverse proxy
 *     or gateway in front of Rasa</td></tr>
 * <tr><td>{@code rasa.timeout-ms}</td><td>10000</td><td>connect and read timeout of one request</td></tr>
 * <tr><td>{@code rasa.tracker}</td><td>false</td><td>{@code true}: after each answer Parley reads the intent Rasa
 *     recognised, and its confidence, from {@code GET {url}/conversations/parley-<sessionId>/tracker?include_events=NONE}
 *     ({@code latest_message.intent}), since the REST channel does not report it. Needs Rasa's HTTP API
 *     ({@code --enable-api}) at the same URL, accepting the same {@code Authorization} header. The intent becomes
 *     the topic and shows in the turn's reasoning line; a tracker that cannot be read costs only the intent</td></tr>
 * </table>
 */
public record RasaSettings(URI url, String token, Duration timeout, boolean tracker) {

    /** Settings that do not read the tracker. */
    public RasaSettings(URI url, String token, Duration timeout) {
        this(url, token, timeout, false);
    }

    public static final int DEFAULT_TIMEOUT_MS = 10_000;

    /** @throws IllegalStateException naming the property when a required one is missing or a value is invalid */
    public static RasaSettings fromConfig(String agentId, Config config) {
        AgentProperties p = new AgentProperties(agentId, config);
        return new RasaSettings(
                p.url("rasa.url", "Rasa server base URL, e.g. http://rasa:5005"),
                p.optional("rasa.token").orElse(null),
                p.millis("rasa.timeout-ms", DEFAULT_TIMEOUT_MS),
                p.bool("rasa.tracker", false));
    }

    @Override
    public String toString() {
        return "RasaSettings[url=" + url + ", token=" + (token == null ? "none" : "***") + ", timeout=" + timeout + ", tracker=" + tracker + "]";
    }
}
