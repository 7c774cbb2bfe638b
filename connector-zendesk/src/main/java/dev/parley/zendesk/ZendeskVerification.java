package dev.parley.zendesk;

import dev.parley.zendesk.http.ZendeskClient;

/** Proves the credentials work (skeleton: built by the ticket-desk work). */
final class ZendeskVerification {
    private final ZendeskClient client;
    private final ZendeskSettings settings;

    ZendeskVerification(ZendeskClient client, ZendeskSettings settings) {
        this.client = client;
        this.settings = settings;
    }

    String verify() {
        throw new UnsupportedOperationException("not built yet");
    }
}
