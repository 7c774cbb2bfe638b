package dev.parley.runtime.bot;

import java.util.List;

/** A message a bot wants sent; buttons are rendered by the runtime for the channel (numbered options on SMS). */
public record BotMessage(String text, List<BotButton> buttons) {
    public BotMessage {
        buttons = buttons == null ? List.of() : List.copyOf(buttons);
    }

    public static BotMessage text(String text) {
        return new BotMessage(text, List.of());
    }
}
