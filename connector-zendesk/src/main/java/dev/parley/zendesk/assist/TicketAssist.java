package dev.parley.zendesk.assist;

import dev.parley.spi.AssistDesk;
import dev.parley.spi.ConnectionContext;
import dev.parley.zendesk.ZendeskSettings;
import dev.parley.zendesk.http.ZendeskClient;

import java.util.List;
import java.util.Optional;

/** Assist mode's ticket reads and internal notes (skeleton). */
public final class TicketAssist {
    private final ZendeskClient client;
    private final ZendeskSettings settings;
    private final ConnectionContext ctx;

    public TicketAssist(ZendeskClient client, ZendeskSettings settings, ConnectionContext ctx) {
        this.client = client;
        this.settings = settings;
        this.ctx = ctx;
    }

    public Optional<AssistDesk.AssistTicket> ticket(String ticketRef) {
        throw new UnsupportedOperationException("not built yet");
    }

    public void suggest(String ticketRef, String commentId, String text) {
        throw new UnsupportedOperationException("not built yet");
    }

    public void tag(String ticketRef, List<String> tags) {
        throw new UnsupportedOperationException("not built yet");
    }
}
