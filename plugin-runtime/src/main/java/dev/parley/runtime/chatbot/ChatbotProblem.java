package dev.parley.runtime.chatbot;

/**
 * One thing wrong with a chatbot definition.
 *
 * @param location where, e.g. {@code dialogs[welcome].messages[0].buttons[1]}
 * @param code     a stable code, e.g. {@code BUTTON_CAPTION_EMPTY}
 * @param message  what is wrong and how to fix it
 */
public record ChatbotProblem(String location, String code, String message) {
}
