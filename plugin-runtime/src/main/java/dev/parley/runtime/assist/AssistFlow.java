package dev.parley.runtime.assist;

import dev.parley.runtime.agent.AgentDefinition;
import dev.parley.runtime.bot.Bot;
import dev.parley.runtime.bot.BotAnswer;
import dev.parley.runtime.bot.BotRequest;
import dev.parley.runtime.bot.ButtonRendering;
import dev.parley.spi.AssistDesk;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * One assist attempt on one ticket, as plain Java (the CDI side lends it the desk, the dedup receipts, the
 * agent's bot and the connection log). The skip rules run in a fixed order, cheapest and most certain first;
 * each skip is one INFO line in the connection log naming the rule, except a duplicate, which is silent
 * (desks report a ticket many times).
 */
final class AssistFlow {

    /** What became of a ticket; the name is also the metrics tag. */
    enum Outcome {
        NO_TICKET, CREATED_BY_PARLEY, NOT_WORKABLE, NO_COMMENT, DUPLICATE, NO_AGENT, SKIPPED_TOPIC, NOT_HELPFUL, SUGGESTED;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Dedup claims in inbound_receipt, shared by every instance. */
    interface Receipts {
        /** @return false when the key was claimed before (within the dedup window) */
        boolean claim(String connectionId, String key);

        void release(String connectionId, String key);
    }

    /** The connection log. */
    interface Log {
        void append(String severity, String text);
    }

    private final String connectionId;
    private final AssistDesk desk;
    private final Receipts receipts;
    private final Optional<AgentDefinition> agent;
    private final Function<AgentDefinition, Bot> bots;
    private final Log log;

    AssistFlow(String connectionId, AssistDesk desk, Receipts receipts, Optional<AgentDefinition> agent,
               Function<AgentDefinition, Bot> bots, Log log) {
        this.connectionId = connectionId;
        this.desk = desk;
        this.receipts = receipts;
        this.agent = agent;
        this.bots = bots;
        this.log = log;
    }

    static String dedupKey(String ref, String commentId) {
        return "assist:" + ref + ":" + commentId;
    }

    /**
     * Runs the rules, asks the bot and posts the suggestion or a tag saying why not. A failure after the dedup
     * claim releases it, so a retry (or the desk's next webhook) can try again.
     *
     * @throws RuntimeException from the desk or the bot ({@code RetryableException}, {@code BotFailure}, ...)
     */
    Outcome run(String ref) {
        if (agent.isEmpty()) {
            // First: without an agent nothing can be suggested, so neither the desk's API nor a dedup claim is spent.
            log.append("WARN", "ticket " + ref + " not assisted: no agent suggests on this desk; set "
                    + "parley.agent.<id>.assist=" + connectionId);
            return Outcome.NO_AGENT;
        }
        AssistDesk.AssistTicket ticket = desk.ticket(ref).orElse(null);
        if (ticket == null) {
            return skip(Outcome.NO_TICKET, "ticket " + ref + " not assisted: it no longer exists");
        }
        if (ticket.createdByParley()) {
            return skip(Outcome.CREATED_BY_PARLEY, "ticket " + ref + " not assisted: Parley opened it (a handoff)");
        }
        if (!ticket.workable()) {
            return skip(Outcome.NOT_WORKABLE, "ticket " + ref + " not assisted: status '" + ticket.status()
                    + "' (only new, open and pending tickets are)");
        }
        if (ticket.commentId() == null || ticket.question() == null || ticket.question().isBlank()) {
            return skip(Outcome.NO_COMMENT, "ticket " + ref + " not assisted: no customer comment to answer");
        }
        String key = dedupKey(ref, ticket.commentId());
        if (!receipts.claim(connectionId, key)) {
            return Outcome.DUPLICATE; // this comment was assisted (or is being assisted) already
        }
        try {
            return answer(ticket, agent.get());
        } catch (RuntimeException e) {
            receipts.release(connectionId, key);
            throw e;
        }
    }

    private Outcome answer(AssistDesk.AssistTicket ticket, AgentDefinition agent) {
        BotAnswer answer = bots.apply(agent).answer(new BotRequest(agent.id(), pseudoSession(ticket.ref()),
                ticket.question(), false, null, List.of(), null));
        String prefix = desk.tagPrefix() == null ? "" : desk.tagPrefix();
        String topic = answer.topic() == null ? null : answer.topic().toLowerCase(Locale.ROOT);
        if (topic != null && desk.skipTopics().contains(topic)) {
            desk.tag(ticket.ref(), List.of(prefix + "skipped_topic_" + topic));
            log.append("INFO", "ticket " + ticket.ref() + " not assisted: topic '" + topic + "' is on the skip list; tagged");
            return Outcome.SKIPPED_TOPIC;
        }
        String text = String.join("\n\n", ButtonRendering.render(answer.messages())).strip();
        if (!answer.complete() || text.isEmpty()) {
            desk.tag(ticket.ref(), List.of(prefix + "skipped_not_helpful_answer"));
            log.append("INFO", "ticket " + ticket.ref() + " not assisted: the bot had no helpful answer ("
                    + (answer.handoff() != null ? "it handed off: " + answer.handoff().reason() : "no match") + "); tagged");
            return Outcome.NOT_HELPFUL;
        }
        desk.suggest(ticket.ref(), ticket.commentId(), text);
        log.append("INFO", "ticket " + ticket.ref() + ": suggested an answer to comment " + ticket.commentId()
                + " (agent " + agent.id() + (topic == null ? "" : ", topic " + topic) + ")");
        return Outcome.SUGGESTED;
    }

    /**
     * External bots key their conversations by session id; a ticket has none, so it gets a negative id of its
     * own: one bot conversation per ticket, never one of a real session.
     */
    static long pseudoSession(String ref) {
        return -1L - (((long) ref.hashCode()) & 0x7fffffffL);
    }

    private Outcome skip(Outcome outcome, String line) {
        log.append("INFO", line);
        return outcome;
    }
}
