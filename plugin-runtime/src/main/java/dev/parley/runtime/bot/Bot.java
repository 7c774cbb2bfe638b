package dev.parley.runtime.bot;

/**
 * Something that answers a customer's message: the embedded bot, an OpenAI-compatible model, a Botpress
 * or a Rasa server. The runtime calls it from a managed worker thread, outside any transaction.
 */
public interface Bot {

    /**
     * @throws BotFailure when the bot timed out, failed or gave an answer Parley cannot use; the runtime
     *                    then apologises and hands off when the agent has a desk
     */
    BotAnswer answer(BotRequest request);
}
