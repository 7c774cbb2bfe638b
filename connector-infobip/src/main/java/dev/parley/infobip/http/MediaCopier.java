package dev.parley.infobip.http;

import dev.parley.spi.Attachment;

/**
 * Copies one file a customer sent (WhatsApp's inbound media, a file in a Conversations event), or says why it could
 * not: the webhook parsers take it so they stay free of HTTP, and tests give them a fake.
 */
@FunctionalInterface
public interface MediaCopier {
    Attachment copy(String kind, String url, String caption);
}
