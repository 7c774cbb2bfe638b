package dev.parley.runtime.bot;

/** A bot that timed out, failed or answered something unusable. The message never holds secrets. */
public class BotFailure extends RuntimeException {
    public BotFailure(String message) {
        super(message);
    }

    public BotFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
