package dev.parley.spi;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A conversation handed from the bot to humans, as a {@link HandoffDesk} receives it.
 *
 * @param key         Parley's id of this handoff, stable across retries: desks use it as their
 *                    idempotency key so a retried or doubled handoff never opens a second ticket
 * @param sessionId   Parley's session id (a desk stores it as the ticket's external id)
 * @param sessionUrl  the session's page in Parley's console ({@code /console/sessions/<id>}), for a "view in Parley" link
 * @param channel     the connection id the customer wrote on (e.g. {@code sms})
 * @param channelType that connection's type (e.g. {@code infobip-sms})
 * @param reason      why the handoff happened, one line
 * @param summary     what the conversation was about, a few sentences
 * @param sentiment   how the customer seems to feel
 * @param language    ISO 639-1 code of the customer's language, or null when unknown
 * @param transcript  the conversation so far, oldest first
 * @param contact     who the customer is
 * @param fields      extracted fields (order number, product, ...) by name; never null
 */
public record Handoff(String key, String sessionId, String sessionUrl, String channel, String channelType,
                      String reason, String summary, Sentiment sentiment, String language,
                      List<TranscriptLine> transcript, HandoffContact contact, Map<String, String> fields) {
    public Handoff {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(contact, "contact");
        sentiment = sentiment == null ? Sentiment.NEUTRAL : sentiment;
        transcript = transcript == null ? List.of() : List.copyOf(transcript);
        fields = fields == null ? Map.of() : Map.copyOf(fields);
    }
}
