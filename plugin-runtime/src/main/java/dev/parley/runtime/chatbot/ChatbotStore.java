package dev.parley.runtime.chatbot;

import dev.parley.runtime.persistence.SqlErrors;
import dev.parley.runtime.session.ChatSession;
import dev.parley.runtime.session.SessionState;
import dev.parley.runtime.session.SessionStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Database side of the chatbot lifecycle. Every change is one transaction; the unique active-sender key
 * and conditional schedule claims make activations and schedules safe with N instances.
 */
@ApplicationScoped
public class ChatbotStore {

    @PersistenceContext(unitName = "parley")
    EntityManager em;
    @Inject
    SessionStore sessions;

    /** Refused lifecycle change; the message says why and what to do. */
    public static class LifecycleException extends RuntimeException {
        private final List<ChatbotProblem> problems;

        public LifecycleException(String message, List<ChatbotProblem> problems) {
            super(message);
            this.problems = List.copyOf(problems);
        }

        public List<ChatbotProblem> problems() {
            return problems;
        }
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<Chatbot> list() {
        return em.createQuery("select c from Chatbot c order by c.id", Chatbot.class).getResultList();
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<Chatbot> find(String id) {
        return Optional.ofNullable(em.find(Chatbot.class, id));
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<ChatbotRevision> revision(String chatbotId, int revision) {
        return revisionIn(chatbotId, revision);
    }

    /** The active revision of chatbot {@code id} (an agent's chatbot has the agent's id), if it is active. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<Long> activeRevisionId(String id) {
        Chatbot bot = em.find(Chatbot.class, id);
        if (bot == null || bot.state() != Chatbot.State.ACTIVE) {
            return Optional.empty();
        }
        return revisionIn(id, bot.activeRevision()).map(ChatbotRevision::id);
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<ChatbotRevision> revisionById(long id) {
        return Optional.ofNullable(em.find(ChatbotRevision.class, id));
    }

    /**
     * Stores a new draft revision, creating the bot on first save.
     *
     * @return the new draft revision number
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int saveDraft(String id, String name, String channel, String sender, String canonicalJson) {
        OffsetDateTime now = OffsetDateTime.now();
        Chatbot bot = em.find(Chatbot.class, id);
        if (bot == null) {
            bot = new Chatbot(id, now);
            bot.newDraft(name, channel, sender, now);
            em.persist(bot);
        } else {
            Optional<ChatbotRevision> current = revisionIn(id, bot.draftRevision());
            if (current.isPresent() && current.get().definition().equals(canonicalJson)) {
                return bot.draftRevision(); // unchanged: no new revision
            }
            bot.newDraft(name, channel, sender, now);
        }
        em.flush();
        em.persist(new ChatbotRevision(id, bot.draftRevision(), canonicalJson, now));
        return bot.draftRevision();
    }

    /**
     * Makes the draft the active revision on its sender. Another bot active on that sender is deactivated,
     * and the revision this bot ran before (a redeploy) is retired: their sessions may finish within
     * {@code grace} (zero = they end now).
     *
     * @param check validates the draft's definition; a non-empty result refuses the activation
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public String activate(String id, Duration grace, Function<ChatbotRevision, List<ChatbotProblem>> check) {
        OffsetDateTime now = OffsetDateTime.now();
        Chatbot bot = existing(id);
        String outcome = activateNow(bot, grace, check, now);
        flushOrRetry();
        return outcome;
    }

    private String activateNow(Chatbot bot, Duration grace, Function<ChatbotRevision, List<ChatbotProblem>> check,
                               OffsetDateTime now) {
        ChatbotRevision draft = revisionIn(bot.id(), bot.draftRevision()).orElseThrow();
        List<ChatbotProblem> problems = check.apply(draft);
        if (!problems.isEmpty()) {
            throw new LifecycleException("chatbot '" + bot.id() + "' revision " + draft.revision() + " is not valid: "
                    + problems.size() + " problem(s)", problems);
        }
        if (bot.state() == Chatbot.State.ACTIVE && Integer.valueOf(bot.draftRevision()).equals(bot.activeRevision())) {
            return "revision " + draft.revision() + " is already active";
        }
        OffsetDateTime retireAt = now.plus(grace);
        StringBuilder outcome = new StringBuilder("revision " + draft.revision() + " active on " + bot.channel() + "/" + bot.sender());
        if (bot.state() == Chatbot.State.ACTIVE) {
            revisionIn(bot.id(), bot.activeRevision()).ifPresent(old -> old.retireAt(retireAt));
            outcome.append("; revision ").append(bot.activeRevision()).append(" retires at ").append(retireAt);
            bot.deactivated(now);
            em.flush(); // free the sender key before taking it again
        }
        String key = Chatbot.senderKey(bot.channel(), bot.sender());
        for (Chatbot other : em.createQuery("select c from Chatbot c where c.activeSenderKey = :k and c.id <> :id", Chatbot.class)
                .setParameter("k", key).setParameter("id", bot.id()).getResultList()) {
            revisionIn(other.id(), other.activeRevision()).ifPresent(old -> old.retireAt(retireAt));
            other.deactivated(now);
            outcome.append("; chatbot '").append(other.id()).append("' deactivated, its sessions end at ").append(retireAt);
        }
        em.flush();
        draft.unretire();
        bot.activated(now);
        return outcome.toString();
    }

    /** Deactivates now; open sessions may finish within {@code grace}. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public String deactivate(String id, Duration grace) {
        OffsetDateTime now = OffsetDateTime.now();
        Chatbot bot = existing(id);
        if (bot.state() != Chatbot.State.ACTIVE) {
            throw new LifecycleException("chatbot '" + id + "' is " + bot.state() + ", not ACTIVE", List.of());
        }
        return deactivateNow(bot, grace, now);
    }

    private String deactivateNow(Chatbot bot, Duration grace, OffsetDateTime now) {
        OffsetDateTime retireAt = now.plus(grace);
        revisionIn(bot.id(), bot.activeRevision()).ifPresent(r -> r.retireAt(retireAt));
        bot.deactivated(now);
        return "deactivated; its sessions end at " + retireAt;
    }

    /**
     * Sets (or with both null clears) the schedule. Deactivating an inactive bot on a schedule only makes
     * sense after a scheduled activation, so that combination is required.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void schedule(String id, OffsetDateTime activateAt, OffsetDateTime deactivateAt, String zone, Duration grace) {
        OffsetDateTime now = OffsetDateTime.now();
        Chatbot bot = existing(id);
        if (deactivateAt != null && activateAt == null && bot.state() != Chatbot.State.ACTIVE) {
            throw new LifecycleException("chatbot '" + id + "' is " + bot.state() + ": a scheduled deactivation of a bot "
                    + "that is not active needs a scheduled activation with it", List.of());
        }
        if (activateAt != null && !activateAt.isAfter(now)) {
            throw new LifecycleException("activation time " + activateAt + " is not in the future", List.of());
        }
        if (deactivateAt != null && !deactivateAt.isAfter(activateAt != null ? activateAt : now)) {
            throw new LifecycleException("deactivation time " + deactivateAt + " must be after "
                    + (activateAt != null ? "the activation time" : "now"), List.of());
        }
        bot.schedule(activateAt, deactivateAt, zone, grace, now);
    }

    /** Bots with a schedule that is due. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<String> dueSchedules(OffsetDateTime now) {
        return em.createQuery("select c.id from Chatbot c where c.activateAt <= :n or c.deactivateAt <= :n", String.class)
                .setParameter("n", now).getResultList();
    }

    /**
     * Fires a due schedule once across all instances: the conditional update that clears the time is the
     * claim, and the change happens in the same transaction.
     *
     * @return what happened, or empty when another instance fired it
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<String> fireSchedule(String id, OffsetDateTime now, Function<ChatbotRevision, List<ChatbotProblem>> check) {
        Chatbot bot = em.find(Chatbot.class, id);
        if (bot == null) {
            return Optional.empty();
        }
        if (bot.activateAt() != null && !bot.activateAt().isAfter(now)) {
            if (claim("activate_at", id, now) == 0) {
                return Optional.empty();
            }
            em.refresh(bot);
            try {
                String outcome = activateNow(bot, bot.scheduleGrace(), check, now);
                flushOrRetry();
                return Optional.of("scheduled activation: " + outcome);
            } catch (LifecycleException e) {
                bot.error("scheduled activation refused: " + e.getMessage() + " " + e.problems(), now);
                return Optional.of("scheduled activation refused: " + e.getMessage());
            }
        }
        if (bot.deactivateAt() != null && !bot.deactivateAt().isAfter(now)) {
            if (claim("deactivate_at", id, now) == 0) {
                return Optional.empty();
            }
            em.refresh(bot);
            if (bot.state() != Chatbot.State.ACTIVE) {
                return Optional.of("scheduled deactivation skipped: bot is " + bot.state());
            }
            return Optional.of("scheduled deactivation: " + deactivateNow(bot, bot.scheduleGrace(), now));
        }
        return Optional.empty();
    }

    private int claim(String column, String id, OffsetDateTime now) {
        return em.createNativeQuery("UPDATE chatbot SET " + column + " = NULL WHERE id = ? AND " + column + " <= ?")
                .setParameter(1, id).setParameter(2, now).executeUpdate();
    }

    /**
     * A new session talks to the chatbot active on its connection and sender at the moment it opens.
     * Runs in the inbound transaction.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void bind(ChatSession session, String sender, OffsetDateTime now) {
        String key = Chatbot.senderKey(session.connectionId(), sender);
        Long revisionId = key == null ? null : em.createQuery("select r.id from Chatbot c, ChatbotRevision r "
                        + "where c.activeSenderKey = :k and r.chatbotId = c.id and r.revision = c.activeRevision", Long.class)
                .setParameter("k", key).getResultList().stream().findFirst().orElse(null);
        session.answeredBy(revisionId, sender);
    }

    /** Ends bot sessions whose chatbot revision's grace period is over. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int endRetiredSessions(OffsetDateTime now, int limit) {
        List<ChatSession> retired = em.createQuery("select s from ChatSession s, ChatbotRevision r "
                        + "where s.chatbotRevisionId = r.id and r.retireAt <= :n "
                        + "and s.state = dev.parley.runtime.session.SessionState.BOT", ChatSession.class)
                .setParameter("n", now).setMaxResults(limit).getResultList();
        for (ChatSession s : retired) {
            s.end(SessionState.CLOSED, now);
            sessions.event(s.id(), null, now, "SESSION_CLOSED", "its chatbot revision was retired (grace period over); "
                    + "the customer's next message reaches the bot active now");
        }
        return retired.size();
    }

    private Chatbot existing(String id) {
        Chatbot bot = em.find(Chatbot.class, id);
        if (bot == null) {
            throw new LifecycleException("no chatbot '" + id + "'", List.of());
        }
        return bot;
    }

    private Optional<ChatbotRevision> revisionIn(String chatbotId, Integer revision) {
        if (revision == null) {
            return Optional.empty();
        }
        return em.createQuery("select r from ChatbotRevision r where r.chatbotId = :c and r.revision = :r", ChatbotRevision.class)
                .setParameter("c", chatbotId).setParameter("r", revision).getResultList().stream().findFirst();
    }

    private void flushOrRetry() {
        try {
            em.flush();
        } catch (PersistenceException e) {
            if (SqlErrors.isConstraintViolation(e)) {
                throw new LifecycleException("another bot was activated on this sender at the same time; try again", List.of());
            }
            throw e;
        }
    }
}
