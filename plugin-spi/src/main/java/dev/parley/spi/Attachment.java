package dev.parley.spi;

import java.net.URI;

/**
 * A file a customer sent. The connector copies it at once (provider links need the connection's credentials and
 * expire) into the runtime's {@code MediaStore}; when the copy fails, the provider's link is kept instead, marked as
 * short-lived, with the reason.
 *
 * @param kind        {@code IMAGE}, {@code DOCUMENT}, {@code AUDIO}, {@code VIDEO}, {@code VOICE}, {@code STICKER}, ...
 * @param mediaId     the copy's id in the media store; null when it was not copied
 * @param providerUrl the provider's link to the file (may need credentials, expires); null when it had none
 * @param contentType the MIME type as stored or as the provider declared it; may be null
 * @param fileName    the file's name when the provider gave one; may be null
 * @param sizeBytes   the copy's size; null when not copied
 * @param caption     what the customer wrote with it; may be null
 * @param copyFailure why it was not copied; null when it was
 */
public record Attachment(String kind, String mediaId, URI providerUrl, String contentType, String fileName, Long sizeBytes,
                         String caption, String copyFailure) {

    public boolean copied() {
        return mediaId != null;
    }
}
