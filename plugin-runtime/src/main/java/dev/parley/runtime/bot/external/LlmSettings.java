package dev.parley.runtime.bot.external;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.Config;

/**
 * Settings of an {@link LlmBot}, from MicroProfile Config properties {@code parley.agent.<id>.<name>}:
 *
 * <table>
 * <caption>LLM agent properties</caption>
 * <tr><th>name</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code llm.url}</td><td>required</td><td>base URL of an OpenAI-compatible API, e.g.
 *     {@code https://api.openai.com/v1}, {@code http://localhost:11434/v1} (Ollama), {@code http://vllm:8000/v1},
 *     or for Azure OpenAI {@code https://<resource>.openai.azure.com/openai/v1}; Parley POSTs to
 *     {@code {url}/chat/completions}</td></tr>
 * <tr><td>{@code llm.model}</td><td>required</td><td>model name (Azure: the deployment name)</td></tr>
 * <tr><td>{@code llm.api-key}</td><td>none</td><td>secret API key; optional (Ollama, vLLM without a key)</td></tr>
 * <tr><td>{@code llm.api-key-header}</td><td>{@code Authorization}</td><td>header that carries the key:
 *     {@code Authorization} sends {@code Bearer <key>}; any other name (Azure: {@code api-key}) sends the
 *     bare key</td></tr>
 * <tr><td>{@code llm.timeout-ms}</td><td>20000</td><td>connect and read timeout of one request</td></tr>
 * <tr><td>{@code llm.system-prompt}</td><td>none</td><td>extra instructions added to Parley's system
 *     message (tone, persona, company facts)</td></tr>
 * <tr><td>{@code llm.topics}</td><td>none</td><td>comma-separated topic names the model classifies each
 *     message into (reported as {@code BotAnswer.topic}, matched against {@code parley.agent.<id>.topic.<name>})</td></tr>
 * <tr><td>{@code llm.max-articles}</td><td>3</td><td>knowledge articles given to the model as sources</td></tr>
 * </table>
 *
 * {@link #toString()} masks the key.
 */
public record LlmSettings(URI url, String model, String apiKey, String apiKeyHeader, Duration timeout,
                          String systemPrompt, List<String> topics, int maxArticles) {

    public static final int DEFAULT_TIMEOUT_MS = 20_000;
    public static final int DEFAULT_MAX_ARTICLES = 3;
    public static final String AUTHORIZATION = "Authorization";

    public LlmSettings {
        topics = topics == null ? List.of() : List.copyOf(topics);
        apiKeyHeader = apiKeyHeader == null || apiKeyHeader.isBlank() ? AUTHORIZATION : apiKeyHeader;
    }

    /**
     * @throws IllegalStateException naming the property when a required one is missing or a value is invalid
     */
    public static LlmSettings fromConfig(String agentId, Config config) {
        AgentProperties p = new AgentProperties(agentId, config);
        return new LlmSettings(
                p.url("llm.url", "base URL of the OpenAI-compatible API, e.g. https://api.openai.com/v1"),
                p.required("llm.model", "the model name, e.g. gpt-4o-mini; for Azure the deployment name"),
                p.optional("llm.api-key").orElse(null),
                p.optional("llm.api-key-header").orElse(AUTHORIZATION),
                p.millis("llm.timeout-ms", DEFAULT_TIMEOUT_MS),
                p.optional("llm.system-prompt").orElse(null),
                p.list("llm.topics"),
                p.positiveInt("llm.max-articles", DEFAULT_MAX_ARTICLES));
    }

    @Override
    public String toString() {
        return "LlmSettings[url=" + url + ", model=" + model + ", apiKey=" + (apiKey == null ? "none" : "***")
                + ", apiKeyHeader=" + apiKeyHeader + ", timeout=" + timeout + ", systemPrompt="
                + (systemPrompt == null ? "none" : systemPrompt.length() + " chars") + ", topics=" + topics
                + ", maxArticles=" + maxArticles + "]";
    }
}
