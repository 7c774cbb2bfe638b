package dev.parley.infobip.conversations;

import dev.parley.infobip.http.InfobipClient;
import dev.parley.infobip.http.InfobipError;
import dev.parley.infobip.http.InfobipResponse;
import dev.parley.spi.ConnectorException;
import dev.parley.spi.PermanentException;
import java.util.Locale;

/**
 * Reads the Conversations API's refusals. A change to a CLOSED conversation (update, tag, assign, unassign, route)
 * answers HTTP 400 {@code {"requestError":{"serviceException":{"messageId":"BAD_REQUEST","text":"Closed conversation
 * cannot be changed"}}}} (the spec's "Conversation is closed" example): that is the customer's conversation being over,
 * not a bad request of Parley's, and {@link #closed} tells it apart from every other 400.
 */
public final class ConversationsErrors {

    /** The scopes of the Conversations calls, named on a 403. */
    public static final String SCOPES = "conversations:manage";
    /** The scope of the Subscriptions calls, named on a 403. */
    public static final String SUBSCRIPTION_SCOPES = "subscriptions:manage";

    private static final String CLOSED_TEXT = "closed conversation cannot be changed";
    /** The wording of Infobip's form actions on a closed conversation. */
    private static final String CLOSED_FORM_TEXT = "conversation is closed";

    private ConversationsErrors() {
    }

    /** True when Infobip refused the call because the conversation is closed. */
    public static boolean closed(InfobipResponse r) {
        if (r.status() != 400) return false;
        InfobipError e = r.error();
        String text = e.text().toLowerCase(Locale.ROOT);
        return text.contains(CLOSED_TEXT) || text.contains(CLOSED_FORM_TEXT);
    }

    /**
     * A refused call as the SPI's exception: {@link #closed} as a {@link PermanentException} that says so (no retry can
     * reopen it), everything else as {@link InfobipClient#failure}.
     *
     * @param action what was being done ("posting the reply to conversation 8f3c...")
     */
    public static ConnectorException failure(InfobipClient client, String action, InfobipResponse r) {
        if (closed(r)) {
            return new PermanentException(client.redact("the conversation is closed at Infobip, so " + action
                    + " was refused (HTTP 400 " + r.error().summary() + ")"));
        }
        return client.failure(action, r, SCOPES);
    }
}
