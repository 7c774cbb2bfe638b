package dev.parley.spi;

/**
 * Media larger than the store accepts ({@code parley.media.max-bytes}): nothing was stored. Permanent: the same
 * file is as large on every retry. The message names the property and the limit.
 */
public final class MediaTooLargeException extends PermanentException {

    private final long limitBytes;

    public MediaTooLargeException(String property, long limitBytes) {
        super("media larger than " + limitBytes + " bytes (" + property + "): nothing stored");
        this.limitBytes = limitBytes;
    }

    /** The largest size accepted, in bytes. */
    public long limitBytes() {
        return limitBytes;
    }
}
