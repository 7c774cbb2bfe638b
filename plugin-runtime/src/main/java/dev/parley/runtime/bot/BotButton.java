package dev.parley.runtime.bot;

/**
 * A button under a bot message: either a postback (sent back as if the customer typed it) or an action
 * URL (opened by the customer).
 */
public record BotButton(String caption, String postback, String url) {
}
