package dev.parley.zendesk.helpcenter;

import dev.parley.spi.ConnectionContext;
import dev.parley.spi.KnowledgeSource;
import dev.parley.zendesk.ZendeskSettings;
import dev.parley.zendesk.http.ZendeskClient;

/** Help Center articles through the incremental export (skeleton). */
public final class HelpCenterSource {
    private final ZendeskClient client;
    private final ZendeskSettings settings;
    private final ConnectionContext ctx;

    public HelpCenterSource(ZendeskClient client, ZendeskSettings settings, ConnectionContext ctx) {
        this.client = client;
        this.settings = settings;
        this.ctx = ctx;
    }

    public KnowledgeSource.Page changedSince(String cursor) {
        throw new UnsupportedOperationException("not built yet");
    }
}
