package dev.parley.runtime.admin;

import dev.parley.runtime.connection.ConnectionLogEntry;
import dev.parley.runtime.session.ChatMessage;
import dev.parley.runtime.session.ChatSession;
import dev.parley.runtime.session.SessionEvent;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/** What the admin API returns (JSON-B serialises these records). */
public final class AdminViews {

    private AdminViews() {
    }

    /**
     * @param knowledge the Help Center sync state, when the connection is a knowledge source; else null (omitted)
     * @param setup     the last known provider setup status seen by this instance; null until checked
     */
    public record ConnectionView(String id, String type, String state, String stateReason, OffsetDateTime since,
                                 boolean enabled, boolean sandbox, String inboundAgent, Map<String, String> settings,
                                 Map<String, String> webhookUrls, KnowledgeView knowledge, SetupView setup) {
    }

    /** A knowledge source's sync: when it last ran, how many articles it holds, its last error and cursor. */
    public record KnowledgeView(OffsetDateTime lastRunAt, int articles, String lastError, String cursor) {
        static KnowledgeView of(dev.parley.runtime.knowledge.KnowledgeSyncStore.SyncState s) {
            return new KnowledgeView(s.lastRunAt(), s.articles(), s.lastError(), s.cursor());
        }
    }

    /** What the provider holds for this connection (webhooks, triggers), one line per object. */
    public record SetupView(boolean complete, List<String> items, OffsetDateTime checkedAt) {
        static SetupView of(dev.parley.runtime.setup.ProviderSetups.Known k) {
            return new SetupView(k.complete(), k.items(), k.checkedAt());
        }
    }

    public record VerifyView(String id, boolean ok, String detail) {
    }

    public record LogView(long id, OffsetDateTime at, String level, String message) {
        static LogView of(ConnectionLogEntry e) {
            return new LogView(e.id(), e.loggedAt(), e.severity(), e.entry());
        }
    }

    public record SessionView(long id, String connectionId, String contact, String contactName, String agentId,
                              String state, OffsetDateTime createdAt, OffsetDateTime updatedAt,
                              OffsetDateTime lastInboundAt) {
        static SessionView of(ChatSession s) {
            return new SessionView(s.id(), s.connectionId(), s.contact().address(), s.contact().displayName(),
                    s.agentId(), s.state().name(), s.createdAt(), s.updatedAt(), s.lastInboundAt());
        }
    }

    /**
     * @param kind     the provider's message type or TEMPLATE; absent for plain text
     * @param postback the payload of the button the customer chose; absent when typed
     * @param content  attachments, structured content, why it was not acted on, a template (see MessageExtras)
     */
    public record MessageView(long id, String direction, String text, String status, String providerMessageId,
                              String error, OffsetDateTime createdAt, OffsetDateTime updatedAt, String kind, String postback,
                              jakarta.json.JsonObject content) {
        static MessageView of(ChatMessage m) {
            return of(m, id -> null);
        }

        /**
         * @param links a signed link to a media copy by its id, or null when links cannot be made: each copied
         *              attachment gets one ({@code link}), so an operator or desk agent can open the file
         */
        static MessageView of(ChatMessage m, java.util.function.Function<String, String> links) {
            jakarta.json.JsonObject content = dev.parley.runtime.session.MessageExtras.parse(m.extras());
            if (content != null && content.get("attachments") instanceof jakarta.json.JsonArray files) {
                jakarta.json.JsonArrayBuilder linked = dev.parley.runtime.web.JsonSupport.JSON.createArrayBuilder();
                for (jakarta.json.JsonValue v : files) {
                    jakarta.json.JsonObject a = v.asJsonObject();
                    String link = a.containsKey("mediaId") ? links.apply(a.getString("mediaId")) : null;
                    linked.add(link == null ? a : dev.parley.runtime.web.JsonSupport.JSON.createObjectBuilder(a).add("link", link).build());
                }
                content = dev.parley.runtime.web.JsonSupport.JSON.createObjectBuilder(content).add("attachments", linked).build();
            }
            return new MessageView(m.id(), m.direction().name(), m.body(),
                    m.status() == null ? null : m.status().name(), m.providerMessageId(), m.error(),
                    m.createdAt(), m.updatedAt(), m.kind(), m.postback(), content);
        }
    }

    public record TimelineEntry(long id, OffsetDateTime at, String kind, Long messageId, String detail) {
        static TimelineEntry of(SessionEvent e) {
            return new TimelineEntry(e.id(), e.occurredAt(), e.kind(), e.messageId(), e.detail());
        }
    }

    public record HandoffView(long id, String desk, String state, String reason, String summary, String sentiment,
                              String language, String ticketRef, String ticketUrl, String error, OffsetDateTime createdAt) {
        static HandoffView of(dev.parley.runtime.handoff.HandoffRecord h) {
            return new HandoffView(h.id(), h.deskConnectionId(), h.state().name(), h.reason(), h.summary(),
                    h.sentiment().tag(), h.language(), h.ticketRef(), h.ticketUrl(), h.error(), h.createdAt());
        }
    }

    public record ReplyRequest(String text, String agentName) {
    }

    public record SessionDetail(SessionView session, List<MessageView> messages, List<TimelineEntry> timeline,
                                List<HandoffView> handoffs) {
    }

    public record SendRequest(String to, String text) {
    }

    public record SendAccepted(long sessionId, long messageId, String status) {
    }
}
