package dev.parley.zendesk.ticket;

import dev.parley.spi.ConnectionContext;
import dev.parley.spi.DeskTicket;
import dev.parley.spi.Handoff;
import dev.parley.spi.InboundEvent;
import dev.parley.spi.TranscriptLine;
import dev.parley.zendesk.ZendeskSettings;
import dev.parley.zendesk.http.ZendeskClient;

import java.util.List;

/** Handoffs as Zendesk tickets (skeleton). */
public final class TicketDesk {
    private final ZendeskClient client;
    private final ZendeskSettings settings;
    private final ConnectionContext ctx;

    public TicketDesk(ZendeskClient client, ZendeskSettings settings, ConnectionContext ctx) {
        this.client = client;
        this.settings = settings;
        this.ctx = ctx;
    }

    public DeskTicket open(Handoff handoff) {
        throw new UnsupportedOperationException("not built yet");
    }

    public void relay(DeskTicket ticket, TranscriptLine line, String messageKey) {
        throw new UnsupportedOperationException("not built yet");
    }

    public void close(DeskTicket ticket, String reason) {
        throw new UnsupportedOperationException("not built yet");
    }

    public List<InboundEvent> activity(DeskTicket ticket) {
        throw new UnsupportedOperationException("not built yet");
    }
}
