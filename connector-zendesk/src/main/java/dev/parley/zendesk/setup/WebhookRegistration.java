package dev.parley.zendesk.setup;

import dev.parley.spi.ConnectionContext;
import dev.parley.spi.ProviderSetup;
import dev.parley.zendesk.ZendeskSettings;
import dev.parley.zendesk.http.ZendeskClient;

import java.util.List;

/** The webhook and triggers Zendesk needs to call Parley back (skeleton). */
public final class WebhookRegistration {
    private final ZendeskClient client;
    private final ZendeskSettings settings;
    private final ConnectionContext ctx;

    public WebhookRegistration(ZendeskClient client, ZendeskSettings settings, ConnectionContext ctx) {
        this.client = client;
        this.settings = settings;
        this.ctx = ctx;
    }

    /** The secrets a webhook call may be signed with: the configured one and the registered webhook's. */
    public List<String> signingSecrets() {
        throw new UnsupportedOperationException("not built yet");
    }

    public ProviderSetup.SetupStatus check() {
        throw new UnsupportedOperationException("not built yet");
    }

    public ProviderSetup.SetupStatus register() {
        throw new UnsupportedOperationException("not built yet");
    }

    public ProviderSetup.SetupStatus unregister() {
        throw new UnsupportedOperationException("not built yet");
    }
}
