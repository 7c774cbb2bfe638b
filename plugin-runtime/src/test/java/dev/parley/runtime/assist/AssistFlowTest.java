package dev.parley.runtime.assist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.runtime.agent.AgentDefinition;
import dev.parley.runtime.bot.Bot;
import dev.parley.runtime.bot.BotAnswer;
import dev.parley.runtime.bot.BotMessage;
import dev.parley.runtime.bot.BotRequest;
import dev.parley.runtime.bot.HandoffSignal;
import dev.parley.spi.AssistDesk;
import dev.parley.spi.RetryableException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AssistFlowTest {

    /** A desk that records what Parley did to its tickets. */
    static final class FakeDesk implements AssistDesk {
        AssistTicket ticket;
        final List<String> calls = new ArrayList<>();
        RuntimeException failOnSuggest;

        @Override
        public Optional<AssistTicket> ticket(String ticketRef) {
            calls.add("ticket " + ticketRef);
            return Optional.ofNullable(ticket);
        }

        @Override
        public void suggest(String ticketRef, String commentId, String text) {
            if (failOnSuggest != null) {
                throw failOnSuggest;
            }
            calls.add("suggest " + ticketRef + " " + commentId + " " + text);
        }

        @Override
        public void tag(String ticketRef, List<String> tags) {
            calls.add("tag " + ticketRef + " " + tags);
        }

        @Override
        public Set<String> skipTopics() {
            return Set.of("billing");
        }

        @Override
        public String tagPrefix() {
            return "parley_";
        }
    }

    static final class FakeReceipts implements AssistFlow.Receipts {
        final Set<String> claimed = new HashSet<>();

        @Override
        public boolean claim(String connectionId, String key) {
            return claimed.add(connectionId + "|" + key);
        }

        @Override
        public void release(String connectionId, String key) {
            claimed.remove(connectionId + "|" + key);
        }
    }

    private final FakeDesk desk = new FakeDesk();
    private final FakeReceipts receipts = new FakeReceipts();
    private final List<String> log = new ArrayList<>();
    private final List<BotRequest> asked = new ArrayList<>();
    private BotAnswer answer = BotAnswer.of("Reset it under Settings > Password.");
    private final AgentDefinition agent = AgentDefinition.embedded("helper", List.of(), null, "fallback", Map.of());

    private AssistFlow flow(Optional<AgentDefinition> agentOrNone) {
        Bot bot = request -> {
            asked.add(request);
            return answer;
        };
        return new AssistFlow("desk", desk, receipts, agentOrNone, a -> bot, (severity, text) -> log.add(severity + " " + text));
    }

    private static AssistDesk.AssistTicket ticket(String status, boolean byParley, String commentId, String question) {
        return new AssistDesk.AssistTicket("123", status, Set.of(), byParley, commentId, question, "Login");
    }

    @Test
    void suggestsTheBotsAnswerToTheLatestCustomerComment() {
        desk.ticket = ticket("open", false, "c9", "How do I reset my password?");
        assertEquals(AssistFlow.Outcome.SUGGESTED, flow(Optional.of(agent)).run("123"));
        assertEquals(List.of("ticket 123", "suggest 123 c9 Reset it under Settings > Password."), desk.calls);
        assertEquals("How do I reset my password?", asked.get(0).text());
        assertEquals("helper", asked.get(0).agentId());
        assertTrue(asked.get(0).sessionId() < 0, "a ticket never borrows a real session id");
        assertTrue(receipts.claimed.contains("desk|assist:123:c9"));
        assertEquals(1, log.size());
        assertTrue(log.get(0).startsWith("INFO ticket 123: suggested"), log.get(0));
    }

    @Test
    void rulesRunInOrderAndEachSkipSaysWhichRule() {
        // No ticket beats everything.
        assertEquals(AssistFlow.Outcome.NO_TICKET, flow(Optional.of(agent)).run("123"));
        // Created by Parley beats an unworkable status and a missing comment.
        desk.ticket = ticket("closed", true, null, null);
        assertEquals(AssistFlow.Outcome.CREATED_BY_PARLEY, flow(Optional.of(agent)).run("123"));
        desk.ticket = ticket("solved", false, null, null);
        assertEquals(AssistFlow.Outcome.NOT_WORKABLE, flow(Optional.of(agent)).run("123"));
        desk.ticket = ticket("new", false, null, null);
        assertEquals(AssistFlow.Outcome.NO_COMMENT, flow(Optional.of(agent)).run("123"));
        desk.ticket = ticket("pending", false, "c1", "  ");
        assertEquals(AssistFlow.Outcome.NO_COMMENT, flow(Optional.of(agent)).run("123"));
        assertEquals(List.of("INFO ticket 123 not assisted: it no longer exists",
                "INFO ticket 123 not assisted: Parley opened it (a handoff)",
                "INFO ticket 123 not assisted: status 'solved' (only new, open and pending tickets are)",
                "INFO ticket 123 not assisted: no customer comment to answer",
                "INFO ticket 123 not assisted: no customer comment to answer"), log);
        assertTrue(receipts.claimed.isEmpty(), "nothing is claimed before the comment is known");
        assertTrue(asked.isEmpty());
        assertTrue(desk.calls.stream().allMatch(c -> c.startsWith("ticket ")), "no tags or notes: " + desk.calls);
    }

    @Test
    void aCommentAlreadyAssistedIsSkippedSilently() {
        desk.ticket = ticket("open", false, "c9", "How do I reset my password?");
        flow(Optional.of(agent)).run("123");
        log.clear();
        assertEquals(AssistFlow.Outcome.DUPLICATE, flow(Optional.of(agent)).run("123"));
        assertTrue(log.isEmpty(), log.toString());
        assertEquals(1, asked.size());
    }

    @Test
    void noAssistAgentIsAWarningNamingTheProperty() {
        desk.ticket = ticket("open", false, "c9", "Hi?");
        assertEquals(AssistFlow.Outcome.NO_AGENT, flow(Optional.empty()).run("123"));
        assertEquals(List.of("WARN ticket 123 not assisted: no agent suggests on this desk; set parley.agent.<id>.assist=desk"), log);
        assertTrue(receipts.claimed.isEmpty(), "no dedup claim is spent without an agent");
    }

    @Test
    void aSkipListTopicIsTaggedNotSuggested() {
        desk.ticket = ticket("open", false, "c9", "Refund please");
        answer = new BotAnswer(List.of(BotMessage.text("Refunds take 5 days.")), null, "Billing", null, null);
        assertEquals(AssistFlow.Outcome.SKIPPED_TOPIC, flow(Optional.of(agent)).run("123"));
        assertEquals("tag 123 [parley_skipped_topic_billing]", desk.calls.get(1));
        assertEquals(2, desk.calls.size());
    }

    @Test
    void incompleteAnswersAreTaggedNotHelpful() {
        desk.ticket = ticket("open", false, "c9", "???");
        answer = new BotAnswer(List.of(BotMessage.text("Sorry, I did not understand.")), null, null, null, null, false);
        assertEquals(AssistFlow.Outcome.NOT_HELPFUL, flow(Optional.of(agent)).run("123"));
        assertEquals("tag 123 [parley_skipped_not_helpful_answer]", desk.calls.get(1));

        desk.calls.clear();
        desk.ticket = ticket("open", false, "c10", "I want a person");
        answer = new BotAnswer(List.of(BotMessage.text("Connecting you")), HandoffSignal.because("asked"), null, null, null);
        assertEquals(AssistFlow.Outcome.NOT_HELPFUL, flow(Optional.of(agent)).run("123"));
        assertEquals("tag 123 [parley_skipped_not_helpful_answer]", desk.calls.get(1));

        desk.calls.clear();
        desk.ticket = ticket("open", false, "c11", "Hello?");
        answer = new BotAnswer(List.of(), null, null, null, null);
        assertEquals(AssistFlow.Outcome.NOT_HELPFUL, flow(Optional.of(agent)).run("123"));
    }

    @Test
    void aFailureReleasesTheClaimSoARetryCanRunAgain() {
        desk.ticket = ticket("open", false, "c9", "How do I reset my password?");
        desk.failOnSuggest = new RetryableException("429 from desk");
        assertThrows(RetryableException.class, () -> flow(Optional.of(agent)).run("123"));
        assertTrue(receipts.claimed.isEmpty());
        desk.failOnSuggest = null;
        assertEquals(AssistFlow.Outcome.SUGGESTED, flow(Optional.of(agent)).run("123"));
    }

    @Test
    void pseudoSessionsAreNegativeAndStablePerTicket() {
        assertEquals(AssistFlow.pseudoSession("123"), AssistFlow.pseudoSession("123"));
        assertTrue(AssistFlow.pseudoSession("123") < 0);
        assertTrue(AssistFlow.pseudoSession("") < 0);
    }
}
