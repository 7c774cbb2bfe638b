package dev.parley.runtime.bot.embedded;

/**
 * One problem in a bot definition.
 *
 * @param location where, like {@code dialogs[welcome].messages[1].buttons[0]} or {@code intents[order_status]}
 * @param code     a stable machine-readable name of the rule, like {@code button-action-missing}
 * @param message  what is wrong, for people
 */
public record ValidationError(String location, String code, String message) {
}
