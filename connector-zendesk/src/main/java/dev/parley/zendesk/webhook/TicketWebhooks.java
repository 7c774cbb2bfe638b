package dev.parley.zendesk.webhook;

import dev.parley.spi.ConnectionContext;
import dev.parley.spi.WebhookReceiver;
import dev.parley.spi.WebhookRequest;
import dev.parley.zendesk.ZendeskSettings;

import java.util.List;
import java.util.function.Supplier;

/** Zendesk webhook calls: signature, replay window, parsing (skeleton). */
public final class TicketWebhooks {
    private final ZendeskSettings settings;
    private final ConnectionContext ctx;
    private final Supplier<List<String>> secrets;

    public TicketWebhooks(ZendeskSettings settings, ConnectionContext ctx, Supplier<List<String>> secrets) {
        this.settings = settings;
        this.ctx = ctx;
        this.secrets = secrets;
    }

    public WebhookReceiver.WebhookBatch receive(WebhookRequest request) {
        throw new UnsupportedOperationException("not built yet");
    }
}
