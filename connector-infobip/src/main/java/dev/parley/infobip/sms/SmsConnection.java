package dev.parley.infobip.sms;

import dev.parley.infobip.http.AccountApi;
import dev.parley.infobip.http.InfobipClient;
import dev.parley.infobip.http.InfobipResponse;
import dev.parley.infobip.webhook.SmsWebhooks;
import dev.parley.infobip.webhook.WebhookAuth;
import dev.parley.spi.util.Jsons;
import dev.parley.spi.Channel;
import dev.parley.spi.Connection;
import dev.parley.spi.Diagnosable;
import dev.parley.spi.Finding;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.ConnectorException;
import dev.parley.spi.DeliveryStatus;
import dev.parley.spi.InboundEvent;
import dev.parley.spi.OutboundMessage;
import dev.parley.spi.PermanentException;
import dev.parley.spi.SendReceipt;
import dev.parley.spi.SentMessageLookup;
import dev.parley.spi.WebhookReceiver;
import dev.parley.spi.WebhookRejectedException;
import dev.parley.spi.WebhookRequest;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.time.Duration;
import java.time.Instant;

/**
 * A running {@code infobip-sms} connection: sends SMS through {@code /sms/3/messages}, receives
 * inbound SMS, delivery reports and click reports, and tells whether Infobip already has a message (SMS
 * logs, {@code GET /sms/3/logs?messageId=}). Its HTTP goes through the {@link InfobipClient} every Infobip connection
 * type shares. Immutable after construction, so safe to call from many threads.
 */
public class SmsConnection implements Connection, Channel, SentMessageLookup, WebhookReceiver, Diagnosable {

    /**
     * How long after a send attempt an empty SMS log still means "maybe not there yet" (UNKNOWN) rather than
     * "never arrived" (NOT_FOUND). How fast a just-accepted message shows in Infobip's logs is not published
     * (UNCONFIRMED); five minutes is a deliberately generous guess: the cost of waiting too long is a delayed
     * re-send after a crash, the cost of too short a wait is a duplicate SMS.
     */
    public static final Duration LOG_GRACE = Duration.ofMinutes(5);
    /**
     * Infobip keeps SMS logs for 48 hours (spec); beyond 47 hours (an hour's margin for clock differences)
     * an empty log proves nothing.
     */
    public static final Duration LOG_WINDOW = Duration.ofHours(47);
    /** The scopes (any one) that let an API key read SMS logs. */
    static final String LOGS_SCOPE = "sms:logs:read (or sms:manage)";
    /** The scopes (any one) that let an API key send SMS. */
    static final String SEND_SCOPE = "sms:message:send, message:send or sms:manage";

    private static final String SANDBOX_PREFIX = "SANDBOX: ";

    protected final ConnectionContext ctx;
    protected final SmsSettings settings;
    private final InfobipClient client;
    private final AccountApi account;
    private final SmsApi sms;
    private final WebhookAuth webhookAuth;
    private final String dlrUrl;
    private final String clickUrl;

    public SmsConnection(ConnectionContext ctx, SmsSettings settings) {
        this.ctx = ctx;
        this.settings = settings;
        this.client = InfobipClient.of(ctx, settings.access(), settings.webhooks().password());
        this.webhookAuth = settings.webhooks().auth(ctx.connectionId());
        this.dlrUrl = webhookUrl("dlr");
        this.clickUrl = webhookUrl("click");
        this.account = client.proxy(AccountApi.class);
        this.sms = client.proxy(SmsApi.class);
    }

    /** The public webhook URL of a report kind, with its token when webhook auth is on. */
    private String webhookUrl(String kind) {
        return settings.webhooks().reportUrl(ctx.webhookUrl(kind), ctx.connectionId(), kind).toString();
    }

    @Override
    public boolean sandbox() {
        return settings.sandbox();
    }

    // ---- verify -------------------------------------------------------------------------------

    @Override
    public String verify() {
        return keyCheck(true);
    }

    /** The key check of {@link #verify}; {@code warn}: log the missing logs scope (the doctor does not, read-only). */
    private String keyCheck(boolean warn) {
        String prefix = settings.sandbox() ? SANDBOX_PREFIX : "";
        String host = client.host();
        InfobipResponse r = client.read(account, AccountApi::balance);
        if (r.ok()) {
            JsonObject o = Jsons.parseObjectOrNull(r.body());
            String balance = Jsons.string(o, "balance");
            String currency = Jsons.string(o, "currency");
            if (warn) warnWithoutLogsScope(host);
            return prefix + "Infobip account reachable at " + host + "; balance "
                    + (balance == null ? "unknown" : balance + (currency == null ? "" : " " + currency));
        }
        if (r.status() == 401) {
            throw new PermanentException(client.redact("Infobip rejected the API key (401 " + r.error().summary()
                    + "); check api-key and base-url"));
        }
        if (r.status() == 403) {
            // The key authenticates but has no account scope (e.g. an SMS-only key): probe SMS instead.
            InfobipResponse logs = client.read(sms, (api, auth) -> api.logs(auth, 1));
            if (logs.ok()) {
                return prefix + "Infobip API key accepted at " + host + " (SMS logs readable; no account scope, "
                        + "balance not shown)";
            }
            if (logs.status() == 403) {
                if (warn) ctx.log().warn("Infobip API key is accepted at " + host + " but has neither account nor SMS log "
                        + "scope, so its SMS send scope cannot be confirmed; sending fails if it lacks "
                        + SEND_SCOPE + "; without " + LOGS_SCOPE + " an SMS "
                        + "interrupted by a crash is sent again (at least once, not exactly once)");
                return prefix + "Infobip API key accepted at " + host + "; SMS send scope not confirmed";
            }
            throw client.failure("verifying the API key", logs, SEND_SCOPE);
        }
        throw client.failure("verifying the API key", r, SEND_SCOPE);
    }

    /**
     * One read of the SMS logs ({@code limit=1}): a 403 means the key cannot answer {@link #lookup}, which is
     * worth a warning; anything else (including a network error) says nothing about the scope and is ignored.
     */
    private void warnWithoutLogsScope(String host) {
        try {
            InfobipResponse logs = client.read(sms, (api, auth) -> api.logs(auth, 1));
            if (logs.status() == 403) {
                ctx.log().warn("Infobip API key at " + host + " may not read SMS logs (HTTP 403): add scope "
                        + LOGS_SCOPE + " so that, after a crash, Parley can tell whether an SMS was already sent; "
                        + "without it such an SMS is sent again (at least once, not exactly once)");
            }
        } catch (RuntimeException ignored) {
            // not a verification failure: the balance call already proved the key and host
        }
    }

    // ---- Channel ------------------------------------------------------------------------------

    @Override
    public String normalizeAddress(String address) {
        return PhoneNumbers.normalize(address);
    }

    @Override
    public SendReceipt send(OutboundMessage message) {
        String toDigits = PhoneNumbers.normalize(message.to()).substring(1);
        String text = SmsText.truncate(message.text());
        if (text.isBlank()) throw new PermanentException("message text is empty; Infobip does not send empty SMS");
        String body = SmsRequestBuilder.build(settings.sender(), toDigits, message.reference(), text, dlrUrl,
                settings.linkTracking(), clickUrl, settings.shortDomain()).toString();
        InfobipResponse r = client.write(sms, (api, auth) -> api.send(auth, body));
        if (!r.ok()) throw client.failure("sending the SMS", r, SEND_SCOPE);
        return receipt(r.body(), message.reference());
    }

    /** Reads the v3 (or v2) send response; a 2xx without a readable body still means accepted. */
    static SendReceipt receipt(String body, String reference) {
        JsonObject o = Jsons.parseObjectOrNull(body);
        JsonArray messages = Jsons.array(o, "messages");
        JsonObject first = messages != null && !messages.isEmpty() && messages.get(0) instanceof JsonObject m ? m : null;
        String messageId = Jsons.nonBlank(first, "messageId");
        JsonObject status = Jsons.object(first, "status");
        String group = Jsons.nonBlank(status, "groupName");
        String name = Jsons.nonBlank(status, "name");
        String description = Jsons.nonBlank(status, "description");
        if (group != null && (group.equalsIgnoreCase("REJECTED") || group.equalsIgnoreCase("UNDELIVERABLE"))) {
            throw new PermanentException("Infobip refused the message (HTTP 200, status " + group
                    + (name == null ? "" : " " + name) + (description == null ? "" : ": " + description) + ")");
        }
        return new SendReceipt(messageId == null ? reference : messageId, DeliveryStatus.SENT, name);
    }

    // ---- SentMessageLookup --------------------------------------------------------------------

    /**
     * Searches Infobip's SMS logs for the message id Parley sent ({@link OutboundMessage#reference()}).
     * FOUND when a log carries exactly that id (and, when it names one, the same recipient); NOT_FOUND only
     * when the logs are empty for it between {@link #LOG_GRACE} and {@link #LOG_WINDOW} after
     * {@code lastAttempt}; UNKNOWN otherwise, and for every failure (never throws).
     */
    @Override
    public Result lookup(OutboundMessage message, Instant lastAttempt) {
        String reference = message.reference();
        String what = "looking up message " + reference + " in Infobip's SMS logs";
        InfobipResponse r;
        try {
            r = client.read(sms, (api, auth) -> api.logsOf(auth, reference));
        } catch (ConnectorException e) {
            return Result.unknown(client.redact(e.getMessage() + " (while " + what + ")"), null);
        } catch (RuntimeException e) {
            return Result.unknown(client.redact("could not call Infobip while " + what + ": "
                    + InfobipClient.describe(e)), null);
        }
        if (!r.ok()) return lookupFailure(what, r);

        JsonObject body = Jsons.parseObjectOrNull(r.body());
        JsonArray results = Jsons.array(body, "results");
        if (results == null) {
            return Result.unknown("Infobip's SMS logs answer (HTTP " + r.status() + ") has no results list, so "
                    + "whether message " + reference + " was sent cannot be told", null);
        }
        String toDigits = digits(message.to());
        JsonObject match = null;
        for (JsonValue v : results) {
            // Only an exact id counts: a server that ignored the filter answers with its latest logs.
            if (v instanceof JsonObject log && reference.equals(Jsons.string(log, "messageId"))) {
                String destination = Jsons.nonBlank(log, "destination");
                if (destination == null) destination = Jsons.nonBlank(log, "to"); // v1 field name
                if (destination != null && toDigits != null && !digits(destination).equals(toDigits)) {
                    return Result.unknown("Infobip's SMS logs have a message " + reference
                            + " to another number than this one; not treated as sent", null);
                }
                if (match == null) match = log;
            }
        }
        if (match != null) {
            JsonObject status = Jsons.object(match, "status");
            DeliveryStatus mapped = SmsWebhooks.mapStatus(status);
            if (mapped == null || mapped == DeliveryStatus.QUEUED) mapped = DeliveryStatus.SENT;
            String name = Jsons.nonBlank(status, "name");
            String sentAt = Jsons.nonBlank(match, "sentAt");
            return Result.found(new SendReceipt(reference, mapped, name),
                    "Infobip's SMS logs have message " + reference + " (status " + mapped
                            + (name == null ? "" : " " + name) + (sentAt == null ? "" : ", sent " + sentAt) + ")");
        }
        return absent(reference, lastAttempt);
    }

    /** An empty log for the id: conclusive only between the grace period and the end of the logs' window. */
    private Result absent(String reference, Instant lastAttempt) {
        String none = "no message " + reference + " in Infobip's SMS logs";
        if (lastAttempt == null) {
            return Result.unknown(none + ", but the time of the last send attempt is not known, so the logs may "
                    + "not show it yet", LOG_GRACE);
        }
        Duration age = Duration.between(lastAttempt, ctx.clock().instant());
        if (age.isNegative()) age = Duration.ZERO; // another instance's clock ahead of ours
        if (age.compareTo(LOG_GRACE) < 0) {
            return Result.unknown(none + " yet; the last attempt was " + age.toSeconds() + " s ago and the logs "
                    + "may lag up to " + LOG_GRACE.toMinutes() + " minutes", LOG_GRACE.minus(age));
        }
        if (age.compareTo(LOG_WINDOW) > 0) {
            return Result.unknown(none + ", but the last attempt was " + age.toHours() + " hours ago and Infobip "
                    + "keeps SMS logs for 48 hours only", null);
        }
        return Result.notFound(none + " " + age.toMinutes() + " minutes after the last attempt");
    }

    private Result lookupFailure(String what, InfobipResponse r) {
        String error = r.error().summary();
        int s = r.status();
        String reason;
        Duration retryAfter = null;
        if (s == 401) {
            reason = "Infobip rejected the API key while " + what + " (HTTP 401 " + error + "); check api-key and "
                    + "base-url; the key needs scope " + LOGS_SCOPE;
        } else if (s == 403) {
            reason = "the Infobip API key may not read SMS logs (HTTP 403 " + error + "); add scope " + LOGS_SCOPE
                    + " to the key so Parley can tell whether a message was already sent";
        } else if (s == 429) {
            reason = "Infobip rate limit hit while " + what + " (HTTP 429 " + error + "; the logs allow 120 "
                    + "requests a minute)";
            retryAfter = client.retryAfter(r);
        } else if (r.retryable()) {
            reason = (s == 408 ? "Infobip timed out while " : "Infobip server error while ") + what + " (HTTP " + s
                    + " " + error + ")";
            retryAfter = client.retryAfter(r);
        } else {
            reason = "Infobip refused " + what + " (HTTP " + s + " " + error + ")";
        }
        return Result.unknown(client.redact(reason), retryAfter);
    }

    /** The digits of an address ({@code +41 79...} and {@code 4179...} compare equal); null when none. */
    private static String digits(String address) {
        if (address == null) return null;
        String d = address.replaceAll("[^0-9]", "");
        return d.isEmpty() ? null : d;
    }

    // ---- WebhookReceiver ----------------------------------------------------------------------

    @Override
    public WebhookBatch receive(WebhookRequest request) {
        webhookAuth.check(request);
        String kind = request.kind() == null ? "" : request.kind();
        return switch (kind) {
            case "sms" -> SmsWebhooks.sms(request.body());
            case "dlr" -> SmsWebhooks.dlr(request.body());
            case "click" -> SmsWebhooks.click(request.body()); // the runtime logs each click
            default -> throw WebhookRejectedException.unknownKind(kind);
        };
    }

    @Override
    public void close() {
        // nothing held: the REST client proxy is owned by the runtime
    }

    // ---- Diagnosable --------------------------------------------------------------------------

    /** The key check of verify (reads only, logs nothing) as a finding. */
    @Override
    public java.util.List<Finding> diagnose() {
        try {
            return java.util.List.of(Finding.ok("sms.api-key", keyCheck(false)));
        } catch (dev.parley.spi.PermanentException e) {
            return java.util.List.of(Finding.error("sms.api-key", "SMS from Parley fail", client.redact(String.valueOf(e.getMessage())),
                    "correct api-key and base-url (Infobip's portal, Developer tools > API keys), then POST /api/connections/<id>/verify"));
        } catch (RuntimeException e) {
            return java.util.List.of(Finding.warning("sms.api-key", "Parley cannot reach Infobip just now",
                    client.redact(String.valueOf(e.getMessage())), "check base-url and Infobip's status; ask again"));
        }
    }
}
