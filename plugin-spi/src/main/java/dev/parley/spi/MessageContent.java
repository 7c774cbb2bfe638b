package dev.parley.spi;

import java.util.List;

/**
 * What a customer's message carried besides, or instead of, plain text (messaging channels such as WhatsApp). The
 * runtime keeps all of it with the message; the bot gets the text and, for a choice the customer made, the postback.
 *
 * @param type        the provider's own name of the message type ({@code TEXT}, {@code IMAGE}, {@code BUTTON},
 *                    {@code LOCATION}, ...), for the timeline; never null
 * @param postback    the payload of a button, list row or interactive reply the customer chose, which the bot gets as
 *                    its postback (the message's text is then what the customer saw, the button's title); null otherwise
 * @param attachments media the message carried, copied to Parley's media store or kept as the provider's link
 * @param structured  structured content kept as JSON (a location, shared contacts, a referral); null when none
 * @param unsupported why Parley cannot act on this message (a type it does not handle, infected content); null when it
 *                    can. Such a message is stored and shown with the reason, and no bot turn runs for it
 * @param botStaysOut why the bot must not answer this message although it could read it: the provider's conversation
 *                    belongs to a human, is closed, or is not assigned to the AI (Infobip Conversations); null when the
 *                    bot may answer. Such a message is stored and shown with the reason, and no bot turn runs for it
 */
public record MessageContent(String type, String postback, List<Attachment> attachments, String structured,
                             String unsupported, String botStaysOut) {

    public MessageContent {
        java.util.Objects.requireNonNull(type, "type");
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }

    /** Content the bot may answer. */
    public MessageContent(String type, String postback, List<Attachment> attachments, String structured,
                          String unsupported) {
        this(type, postback, attachments, structured, unsupported, null);
    }

    /** A plain text message. */
    public static MessageContent text() {
        return new MessageContent("TEXT", null, List.of(), null, null);
    }

    /** This content with {@link #botStaysOut} set to {@code reason}. */
    public MessageContent withBotStayingOut(String reason) {
        return new MessageContent(type, postback, attachments, structured, unsupported, reason);
    }
}
