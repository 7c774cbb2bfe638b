package dev.parley.spi;

import java.util.List;

/** A capability: articles the bots may answer from, read in pages since a cursor. */
public interface KnowledgeSource {

    /**
     * One page of articles changed since {@code cursor}.
     *
     * @param cursor null for a full sync, else the {@link Page#nextCursor()} of the last page read
     */
    Page changedSince(String cursor);

    /** How often the runtime syncs after the first full sync (the connection's setting). */
    default java.time.Duration syncInterval() {
        return java.time.Duration.ofHours(1);
    }

    /**
     * @param articles   changed articles; those not {@link Article#answerable()} are removed from the index
     * @param nextCursor where the next call starts; stored by the runtime
     * @param more       true when another page is ready now
     */
    record Page(List<Article> articles, String nextCursor, boolean more) {
    }
}
