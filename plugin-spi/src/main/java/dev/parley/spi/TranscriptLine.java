package dev.parley.spi;

import java.time.OffsetDateTime;

/**
 * One line of a conversation, as a help desk shows it.
 *
 * @param at     when it was written
 * @param author {@link #CUSTOMER}, {@link #BOT} or {@link #AGENT}
 * @param text   what was written
 */
public record TranscriptLine(OffsetDateTime at, String author, String text) {
    public static final String CUSTOMER = "customer";
    public static final String BOT = "bot";
    public static final String AGENT = "agent";
}
