package dev.parley.infobip.conversations;

import dev.parley.infobip.http.InfobipAccess;
import dev.parley.infobip.webhook.WebhookSettings;
import dev.parley.spi.ConfigField;
import dev.parley.spi.ConnectionConfig;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.PermanentException;
import java.util.List;

/**
 * The validated settings of an {@code infobip-conversations} connection: how to reach Infobip and check its webhook
 * (as every Infobip type), who the AI is inside the contact center, and what it does around a handoff.
 * {@link #toString()} masks the secrets.
 *
 * @param access           API key and host, or the sandbox
 * @param webhooks         the event webhook's Basic credentials, which the subscription carries
 * @param aiAgentId        the agent or bot id at Infobip that Parley acts as
 * @param handleUnassigned the AI also answers conversations nobody is assigned to (it takes them first)
 * @param closeWhenResolved close the conversation when the bot resolved it
 * @param handoffTag       the tag a handed-off conversation gets, as Infobip takes it ({@link ConversationsRequests#tagName})
 * @param handoffQueue     the queue a handed-off conversation moves to; null to only unassign the AI
 * @param autoRegister     create or repair the event subscription at every start
 */
public record ConversationsSettings(InfobipAccess access, WebhookSettings webhooks, String aiAgentId,
                                    boolean handleUnassigned, boolean closeWhenResolved, String handoffTag,
                                    String handoffQueue, boolean autoRegister) {

    public static final String AI_AGENT_ID = "ai-agent-id";
    public static final String HANDLE_UNASSIGNED = "handle-unassigned";
    public static final String CLOSE_WHEN_RESOLVED = "close-when-resolved";
    public static final String HANDOFF_TAG = "handoff-tag";
    public static final String HANDOFF_QUEUE = "handoff-queue";
    public static final String AUTO_REGISTER = "auto-register";
    public static final String DEFAULT_TAG = "parley_handed_off";

    public static List<ConfigField> fields() {
        return List.of(
                ConfigField.secret(InfobipAccess.API_KEY, "Infobip API key, sent as 'Authorization: App <key>'; needs scopes "
                        + ConversationsErrors.SCOPES + " and " + ConversationsErrors.SUBSCRIPTION_SCOPES),
                ConfigField.required(InfobipAccess.BASE_URL,
                        "your account's API host, e.g. xxxxx.api.infobip.com, or 'sandbox' for Parley's built-in stand-in"),
                ConfigField.required(AI_AGENT_ID, "the id of the Infobip agent or bot that Parley acts as: the AI answers "
                        + "the conversations assigned to it"),
                ConfigField.optional(HANDLE_UNASSIGNED, "false", "also answer conversations nobody is assigned to "
                        + "(the AI assigns them to itself first)"),
                ConfigField.optional(CLOSE_WHEN_RESOLVED, "true", "close the conversation when the bot resolved it, "
                        + "unless a human owns it by then"),
                ConfigField.optional(HANDOFF_TAG, DEFAULT_TAG, "the tag a handed-off conversation gets (created if "
                        + "missing; letters, digits, '.' and '_')"),
                ConfigField.optional(HANDOFF_QUEUE, "", "the queue id a handed-off conversation moves to; empty to "
                        + "only unassign the AI"),
                ConfigField.optional(AUTO_REGISTER, "true", "create or repair the CUSTOMER_ENGAGEMENT event "
                        + "subscription at every start (removed by stop?unregister=true)"),
                ConfigField.optional(WebhookSettings.WEBHOOK_AUTH, "basic",
                        "'basic' (the subscription sends Basic credentials) or 'none' (INSECURE: anyone can post events)"),
                ConfigField.optional(WebhookSettings.WEBHOOK_USERNAME, "infobip",
                        "username the subscription sends with each event"),
                ConfigField.optionalSecret(WebhookSettings.WEBHOOK_PASSWORD,
                        "password the subscription sends with each event; required unless webhook-auth=none"));
    }

    /** Reads and validates; never calls the provider. */
    public static ConversationsSettings from(ConnectionContext ctx) {
        ConnectionConfig c = ctx.config();
        InfobipAccess access = InfobipAccess.from(ctx);
        String agent = c.require(AI_AGENT_ID).strip();
        if (!agent.matches("[A-Za-z0-9._:-]{1,100}")) {
            throw new PermanentException("setting '" + AI_AGENT_ID + "' must be an Infobip agent or bot id (letters, "
                    + "digits, '.', '_', ':' and '-'; at most 100), as Conversations > Agents shows it");
        }
        String tag;
        try {
            tag = ConversationsRequests.tagName(c.get(HANDOFF_TAG).orElse(DEFAULT_TAG));
        } catch (IllegalArgumentException e) {
            throw new PermanentException("setting '" + HANDOFF_TAG + "' is blank; leave it out for " + DEFAULT_TAG);
        }
        String queue = c.get(HANDOFF_QUEUE).map(String::strip).filter(q -> !q.isEmpty()).orElse(null);
        if (queue != null && !queue.matches("[A-Za-z0-9._:-]{1,100}")) {
            throw new PermanentException("setting '" + HANDOFF_QUEUE + "' must be an Infobip queue id");
        }
        return new ConversationsSettings(access, WebhookSettings.from(c), agent, c.getBoolean(HANDLE_UNASSIGNED, false),
                c.getBoolean(CLOSE_WHEN_RESOLVED, true), tag, queue, c.getBoolean(AUTO_REGISTER, true));
    }

    public boolean sandbox() {
        return access.sandbox();
    }

    @Override
    public String toString() {
        return "ConversationsSettings[" + access + ", " + webhooks + ", aiAgentId=" + aiAgentId + ", handleUnassigned="
                + handleUnassigned + ", closeWhenResolved=" + closeWhenResolved + ", handoffTag=" + handoffTag
                + ", handoffQueue=" + handoffQueue + ", autoRegister=" + autoRegister + "]";
    }
}
