package dev.parley.infobip.sms;

import dev.parley.spi.util.Jsons;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.util.Locale;

/** Builds the body of {@code POST /sms/3/messages} for one message to one recipient. */
final class SmsRequestBuilder {

    private SmsRequestBuilder() {
    }

    /**
     * The v3 request envelope.
     *
     * @param toDigits     the recipient, E.164 digits without {@code +}
     * @param reference    Parley's reference: sent as Infobip messageId (idempotent retries) and callbackData
     * @param dlrUrl       where Infobip posts the delivery report
     * @param linkTracking whether tracking is enabled; tracking is added only when the text has a link
     * @param clickUrl     where Infobip posts click reports
     * @param customDomain custom short domain, or null
     */
    static JsonObject build(String sender, String toDigits, String reference, String text, String dlrUrl,
                            boolean linkTracking, String clickUrl, String customDomain) {
        JsonObject message = Jsons.BUILDERS.createObjectBuilder()
                .add("sender", sender)
                .add("destinations", Jsons.BUILDERS.createArrayBuilder().add(Jsons.BUILDERS.createObjectBuilder()
                        .add("to", toDigits)
                        .add("messageId", reference)))
                .add("content", Jsons.BUILDERS.createObjectBuilder().add("text", text))
                .add("webhooks", Jsons.BUILDERS.createObjectBuilder()
                        .add("delivery", Jsons.BUILDERS.createObjectBuilder()
                                .add("url", dlrUrl)
                                .add("intermediateReport", true)
                                .add("notify", true))
                        .add("contentType", "application/json")
                        .add("callbackData", reference))
                .build();
        JsonObjectBuilder root = Jsons.BUILDERS.createObjectBuilder()
                .add("messages", Jsons.BUILDERS.createArrayBuilder().add(message));
        if (linkTracking && containsLink(text)) {
            JsonObjectBuilder tracking = Jsons.BUILDERS.createObjectBuilder()
                    .add("shortenUrl", true)
                    .add("trackClicks", true)
                    .add("trackingUrl", clickUrl)
                    .add("removeProtocol", false);
            if (customDomain != null) tracking.add("customDomain", customDomain);
            root.add("options", Jsons.BUILDERS.createObjectBuilder().add("tracking", tracking));
        }
        return root.build();
    }

    /** True when the text has something Infobip would shorten: {@code http://}, {@code https://} or {@code www.}. */
    static boolean containsLink(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        return t.contains("http://") || t.contains("https://") || t.contains("www.");
    }
}
