package dev.parley.runtime.handoff;

import dev.parley.runtime.session.ChatMessage;
import dev.parley.runtime.session.ChatSession;
import dev.parley.spi.DeskTicket;
import dev.parley.spi.Sentiment;
import java.util.List;
import java.util.Map;

/** A handoff and its session as read for one desk call: {@code messages} is the transcript to open a ticket, else just the message the call is about. */
public record HandoffSnapshot(long id, String key, HandoffRecord.State state, DeskTicket ticket, String agentId,
                              String reason, String summary, Sentiment sentiment, String language,
                              Map<String, String> fields, ChatSession session, List<ChatMessage> messages) {
}
