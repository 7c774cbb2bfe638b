package dev.parley.infobip.whatsapp;

import dev.parley.infobip.http.MediaCopy;

import dev.parley.infobip.http.InfobipClient;
import dev.parley.infobip.http.InfobipResponse;
import dev.parley.infobip.sms.PhoneNumbers;
import dev.parley.infobip.webhook.SmsWebhooks;
import dev.parley.infobip.webhook.WebhookAuth;
import dev.parley.spi.Channel;
import dev.parley.spi.Connection;
import dev.parley.spi.Diagnosable;
import dev.parley.spi.Finding;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.DeliveryStatus;
import dev.parley.spi.OutboundMessage;
import dev.parley.spi.PermanentException;
import dev.parley.spi.SendReceipt;
import dev.parley.spi.WebhookReceiver;
import dev.parley.spi.WebhookRejectedException;
import dev.parley.spi.WebhookRequest;
import dev.parley.spi.util.Jsons;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.URI;

/**
 * A running {@code infobip-whatsapp} connection: free text inside WhatsApp's 24-hour customer-care window (checked
 * at send time from when the customer last wrote; outside it nothing is attempted and the message fails with the
 * reason), templates for anything else, every inbound message type with its media copied at once, and delivery and
 * seen reports. Texts longer than 4,096 characters are split by the runtime ({@link #maxTextLength()}). Sends are at
 * least once after a crash: Parley knows no WhatsApp log to ask whether a send arrived. Thread-safe: after construction only the doctor's
 * failure tallies change.
 */
public class WhatsAppConnection implements Connection, Channel, WebhookReceiver, Diagnosable {

    private static final String SANDBOX_PREFIX = "SANDBOX: ";

    protected final ConnectionContext ctx;
    protected final WhatsAppSettings settings;
    private final InfobipClient client;
    private final WhatsAppApi whatsapp;
    private final WebhookAuth webhookAuth;
    private final URI reportUrl;
    private final MediaCopy media;
    /** Sends refused for the closed 24-hour window: stopped by Parley, or reported by Infobip. */
    private final FailureTally windowClosed = new FailureTally();
    /** Files customers sent that could not be copied into the media store (the provider's link kept instead). */
    private final FailureTally mediaNotCopied = new FailureTally();
    private final java.time.Instant openedAt;

    public WhatsAppConnection(ConnectionContext ctx, WhatsAppSettings settings) {
        this.ctx = ctx;
        this.settings = settings;
        this.client = InfobipClient.of(ctx, settings.access(), settings.webhooks().password());
        this.whatsapp = client.proxy(WhatsAppApi.class);
        this.webhookAuth = settings.webhooks().auth(ctx.connectionId());
        this.reportUrl = reportUrl();
        this.media = new MediaCopy(ctx.media(), settings.access(), client);
        this.openedAt = ctx.clock().instant();
    }

    /** Where Infobip posts delivery and seen reports of a send: the {@code dlr} webhook, with its token. */
    private URI reportUrl() {
        return settings.webhooks().reportUrl(ctx.webhookUrl("dlr"), ctx.connectionId(), "dlr");
    }

    @Override
    public boolean sandbox() {
        return settings.sandbox();
    }

    /** The sender's templates: proves the key, its scope and that the sender is the account's. */
    @Override
    public String verify() {
        String prefix = settings.sandbox() ? SANDBOX_PREFIX : "";
        InfobipResponse r = client.read(whatsapp, (api, auth) -> api.templates(auth, settings.sender()));
        if (r.ok()) {
            JsonArray templates = Jsons.array(Jsons.parseObjectOrNull(r.body()), "templates");
            return prefix + "Infobip WhatsApp sender " + settings.sender() + " reachable at " + client.host() + "; "
                    + (templates == null ? "its templates could not be read" : templates.size() + " templates");
        }
        if (r.status() == 404) {
            throw new PermanentException(client.redact("Infobip does not know WhatsApp sender " + settings.sender()
                    + " on this account (404 " + r.error().summary() + "); check 'sender': the business number as "
                    + "registered, digits only"));
        }
        throw client.failure("reading the templates of WhatsApp sender " + settings.sender(), r,
                WhatsAppSettings.MANAGE_SCOPE);
    }

    // ---- Channel ------------------------------------------------------------------------------

    /** A phone number (E.164) or, for a customer who shows only a Meta username, their business-scoped user id. */
    @Override
    public String normalizeAddress(String address) {
        String a = address == null ? "" : address.strip();
        if (WhatsAppWebhooks.isUserId(a) && !a.startsWith("+")) {
            return a;
        }
        return PhoneNumbers.normalize(a);
    }

    @Override
    public int maxTextLength() {
        return WhatsAppRequests.MAX_TEXT;
    }

    @Override
    public boolean sendsTemplates() {
        return true;
    }

    @Override
    public SendReceipt send(OutboundMessage message) {
        String to = message.to().startsWith("+") ? message.to().substring(1) : message.to();
        OutboundMessage m = new OutboundMessage(message.reference(), to, message.text(), message.customerLastWrote(),
                message.template());
        if (m.template() != null) {
            String problem = WhatsAppRequests.templateNameProblem(m.template().name());
            if (problem != null) throw new PermanentException(problem);
            String body = WhatsAppRequests.template(settings.sender(), m, reportUrl).toString();
            InfobipResponse r = client.write(whatsapp, (api, auth) -> api.sendTemplate(auth, body));
            if (!r.ok()) throw client.failure("sending the WhatsApp template " + m.template().name(), r, WhatsAppSettings.SEND_SCOPE);
            JsonArray messages = Jsons.array(Jsons.parseObjectOrNull(r.body()), "messages");
            return receipt(messages != null && !messages.isEmpty() && messages.get(0) instanceof JsonObject o ? o : null,
                    m.reference());
        }
        if (!CareWindow.open(m.customerLastWrote(), ctx.clock().instant())) {
            windowClosed.record(WhatsAppWebhooks.OUTSIDE_WINDOW, ctx.clock().instant());
            throw new PermanentException(WhatsAppWebhooks.OUTSIDE_WINDOW);
        }
        if (m.text().isBlank()) throw new PermanentException("message text is empty; WhatsApp does not send empty text");
        if (m.text().length() > WhatsAppRequests.MAX_TEXT) {
            throw new PermanentException("message text has " + m.text().length() + " characters, more than WhatsApp's "
                    + WhatsAppRequests.MAX_TEXT);
        }
        String body = WhatsAppRequests.text(settings.sender(), m, reportUrl).toString();
        InfobipResponse r = client.write(whatsapp, (api, auth) -> api.sendText(auth, body));
        if (!r.ok()) throw client.failure("sending the WhatsApp message", r, WhatsAppSettings.SEND_SCOPE);
        return receipt(Jsons.parseObjectOrNull(r.body()), m.reference());
    }

    /** A send's answer ({@code {messageId, status}}); a 2xx without a readable body still means accepted. */
    static SendReceipt receipt(JsonObject answer, String reference) {
        String messageId = Jsons.nonBlank(answer, "messageId");
        JsonObject status = Jsons.object(answer, "status");
        String group = Jsons.nonBlank(status, "groupName");
        String name = Jsons.nonBlank(status, "name");
        if (group != null && (group.equalsIgnoreCase("REJECTED") || group.equalsIgnoreCase("UNDELIVERABLE"))) {
            String description = Jsons.nonBlank(status, "description");
            throw new PermanentException("Infobip refused the WhatsApp message (status " + group
                    + (name == null ? "" : " " + name) + (description == null ? "" : ": " + description) + ")");
        }
        DeliveryStatus mapped = status == null ? null : SmsWebhooks.mapStatus(status);
        return new SendReceipt(messageId == null ? reference : messageId,
                mapped == null || mapped == DeliveryStatus.QUEUED ? DeliveryStatus.SENT : mapped, name);
    }

    // ---- WebhookReceiver ----------------------------------------------------------------------

    @Override
    public WebhookBatch receive(WebhookRequest request) {
        webhookAuth.check(request);
        String kind = request.kind() == null ? "" : request.kind();
        WebhookBatch batch = switch (kind) {
            case "whatsapp" -> WhatsAppWebhooks.inbound(request.body(), media);
            case "dlr" -> WhatsAppWebhooks.reports(request.body());
            default -> throw WebhookRejectedException.unknownKind(kind);
        };
        tally(batch);
        return batch;
    }

    /** Counts the batch's window refusals and uncopied files for {@link #diagnose}. */
    private void tally(WebhookBatch batch) {
        java.time.Instant now = ctx.clock().instant();
        for (dev.parley.spi.InboundEvent e : batch.events()) {
            if (e instanceof dev.parley.spi.InboundEvent.DeliveryReported r && r.error() != null
                    && r.error().startsWith(WhatsAppWebhooks.OUTSIDE_WINDOW)) {
                windowClosed.record(r.error(), now);
            } else if (e instanceof dev.parley.spi.InboundEvent.MessageReceived m && m.content() != null) {
                m.content().attachments().stream().filter(a -> a.copyFailure() != null)
                        .forEach(a -> mediaNotCopied.record(a.copyFailure(), now));
            }
        }
    }

    @Override
    public void close() {
        // nothing held: the REST client proxy is owned by the runtime
    }

    // ---- Diagnosable --------------------------------------------------------------------------

    /**
     * The verify call (reads only) as the sender's finding, then what this connection counted since it opened: sends
     * refused for the closed 24-hour window and files it could not copy.
     */
    @Override
    public java.util.List<Finding> diagnose() {
        java.util.List<Finding> out = new java.util.ArrayList<>();
        try {
            out.add(Finding.ok("whatsapp.sender", verify()));
        } catch (dev.parley.spi.PermanentException e) {
            out.add(Finding.error("whatsapp.sender", "WhatsApp messages from Parley fail", client.redact(String.valueOf(e.getMessage())),
                    "correct what the cause names (sender: the business number as registered, digits only; api-key and its scopes), then POST /api/connections/<id>/verify"));
        } catch (RuntimeException e) {
            out.add(Finding.warning("whatsapp.sender", "Parley cannot reach Infobip just now",
                    client.redact(String.valueOf(e.getMessage())), "check base-url and Infobip's status; ask again"));
        }
        out.add(windowFinding());
        out.add(mediaFinding());
        return out;
    }

    private Finding windowFinding() {
        FailureTally.Snapshot s = windowClosed.snapshot();
        if (s.count() == 0) {
            return Finding.ok("whatsapp.window", "no message refused for WhatsApp's 24-hour window since " + openedAt);
        }
        return Finding.warning("whatsapp.window", s.count() + " message(s) on WhatsApp were not delivered since "
                        + openedAt + " (last at " + s.lastAt() + "): the customer had not written for more than 24 hours",
                "WhatsApp allows free text only within 24 hours of the customer's last message; outside it only an "
                        + "approved template goes out. Last reason: " + s.lastReason(),
                "to write first or after a pause, send an approved template (POST /api/connections/" + ctx.connectionId()
                        + "/messages with \"template\"); replies to a customer who just wrote are not affected");
    }

    private Finding mediaFinding() {
        FailureTally.Snapshot s = mediaNotCopied.snapshot();
        if (s.count() == 0) {
            return Finding.ok("whatsapp.media", "every file customers sent since " + openedAt + " was copied into Parley");
        }
        return Finding.warning("whatsapp.media", s.count() + " file(s) customers sent on WhatsApp since " + openedAt
                        + " were not copied into Parley (last at " + s.lastAt() + "): the session shows Infobip's link "
                        + "instead, which needs the API key and expires",
                s.lastReason(),
                "act on the reason: more bytes than parley.media.max-bytes: raise it if such files are welcome; "
                        + "404: Infobip no longer has the file, ask the customer to send it again; not on this "
                        + "connection's Infobip host: check base-url; anything else (the media store or the download "
                        + "failing): see the server log and ask again after the next file");
    }
}
