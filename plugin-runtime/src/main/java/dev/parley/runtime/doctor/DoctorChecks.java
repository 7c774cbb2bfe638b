package dev.parley.runtime.doctor;

import dev.parley.spi.Finding;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runtime's own troubleshooting checks as pure functions: facts in, {@link Finding}s out (no database, no
 * provider). {@link Doctor} gathers the facts. Every finding's check id starts with the area it looks at.
 */
final class DoctorChecks {

    /** How many distinct errors a grouped finding lists. */
    static final int TOP = 3;

    private static final Pattern STATUS = Pattern.compile("rejected \\((\\d{3})\\)");
    private static final Pattern TIMES = Pattern.compile("\\[rejected (\\d+) times");

    /** An error text and how often it occurred. */
    record ErrorCount(String error, long count) {
    }

    /** Outbound messages a delivery report marked failed: the status (FAILED, UNDELIVERABLE...), the error, how many. */
    record ReportedFailure(String status, String error, long count) {
    }

    private DoctorChecks() {
    }

    /** ERROR or STOPPED (or still STARTING) with its reason; OK when RUNNING. */
    static Finding state(String id, String state, String reason, boolean enabled) {
        String why = reason == null || reason.isBlank() ? "no reason recorded" : reason;
        return switch (state) {
            case "RUNNING" -> Finding.ok("connection.state", "connection '" + id + "' is running");
            case "ERROR" -> Finding.error("connection.state", "connection '" + id + "' is in ERROR: Parley neither "
                    + "sends nor receives through it", why, "fix what the reason names (settings, credentials, the "
                    + "provider's availability), then POST /api/connections/" + id + "/start; GET /api/connections/"
                    + id + "/logs has the history");
            case "STOPPED" -> enabled
                    ? Finding.warning("connection.state", "connection '" + id + "' is STOPPED: Parley neither sends nor "
                            + "receives through it", why, "POST /api/connections/" + id + "/start when it should run")
                    : Finding.info("connection.state", "connection '" + id + "' is disabled",
                            "parley.connection." + id + ".enabled=false", "set it to true and restart to use it");
            default -> Finding.info("connection.state", "connection '" + id + "' is " + state, why,
                    "wait for the start to finish; if it stays, see GET /api/connections/" + id + "/logs");
        };
    }

    /**
     * No inbound message for longer than {@code limit} on a connection an agent answers.
     *
     * @param lastInbound the newest inbound message of the connection, null for none ever
     * @param runningSince when the connection (last) started, null when unknown
     * @param webhookUrls  the webhook URLs the provider must call
     */
    static Finding silence(String id, Instant lastInbound, Instant runningSince, Duration limit, Instant now,
                           List<String> webhookUrls) {
        String check = "webhook.silence";
        Instant from = lastInbound != null ? lastInbound : runningSince;
        if (from == null || !from.plus(limit).isBefore(now)) {
            return Finding.ok(check, lastInbound == null ? "no inbound message yet, within " + hours(limit) + " h of the start"
                    : "last inbound message " + hours(Duration.between(lastInbound, now)) + " h ago");
        }
        long h = hours(Duration.between(from, now));
        String symptom = lastInbound == null
                ? "Parley has received no message on '" + id + "' in the " + h + " h since it started"
                : "Parley has received no message on '" + id + "' for " + h + " h";
        return Finding.warning(check, symptom, "the provider's inbound webhook is not configured, points elsewhere "
                        + "(an old public URL), or its credentials do not match; or customers simply did not write",
                "at the provider set the inbound (messages) URL to " + (webhookUrls.isEmpty() ? "the connection's webhook URL"
                        : String.join(" or ", webhookUrls)) + " with the connection's webhook credentials "
                        + "(GET /api/connections lists the URLs; user and password are its webhook-username and webhook-password settings)");
    }

    /**
     * Webhook calls refused before any event was read, from the connection's log entries of the period (rejections
     * are folded per burst: "[rejected N times ...").
     */
    static Finding rejections(String id, List<String> entries) {
        String check = "webhook.rejected";
        Map<String, Long> byStatus = new TreeMap<>();
        long total = 0;
        String last = null;
        for (String e : entries) {
            Matcher times = TIMES.matcher(e);
            long n = times.find() ? Long.parseLong(times.group(1)) : 1;
            Matcher status = STATUS.matcher(e);
            String key = status.find() ? status.group(1) : "event";
            byStatus.merge(key, n, Long::sum);
            total += n;
            if (last == null) {
                last = e; // entries come newest first
            }
        }
        if (total == 0) {
            return Finding.ok(check, "no webhook call to '" + id + "' refused in the last 24 h");
        }
        List<String> parts = new ArrayList<>();
        byStatus.forEach((k, n) -> parts.add(n + " × " + (k.equals("event") ? "refused events" : "HTTP " + k)));
        boolean auth = byStatus.containsKey("401") || byStatus.containsKey("403");
        boolean body = byStatus.keySet().stream().anyMatch(k -> k.equals("400") || k.equals("422") || k.equals("415")
                || k.equals("event"));
        String cause = auth ? "the caller's credentials or signature do not match the connection's webhook settings"
                : body ? "the provider sends a body Parley does not understand (a wrong webhook type or URL kind)"
                : "the calls were refused";
        String fix = auth ? "make the credentials at the provider match the connection's webhook-username and "
                + "webhook-password (or signing secret); if nobody should call, find who does (GET /api/connections/"
                + id + "/logs)"
                : "check which event type the provider sends to which URL (each kind has its own /webhook/<kind>); "
                + "GET /api/connections/" + id + "/logs shows the reasons";
        return Finding.warning(check, total + " webhook call(s) to '" + id + "' refused in the last 24 h ("
                + String.join(", ", parts) + "); last: " + last, cause, fix);
    }

    /**
     * Sends (and desk calls) that failed for good in the period, and messages the provider accepted but then reported
     * undelivered (a delivery report of FAILED, UNDELIVERABLE, EXPIRED or REJECTED), each grouped by error, the most
     * frequent groups first.
     *
     * @param refused  outbox entries that failed (the provider refused the send, or retries ran out)
     * @param reported outbound messages a delivery report marked failed, by status and error
     */
    static List<Finding> failedSends(String id, List<ErrorCount> refused, List<ReportedFailure> reported) {
        record Group(long count, Finding finding) {
        }
        List<Group> all = new ArrayList<>();
        for (ErrorCount e : refused) {
            all.add(new Group(e.count(), Finding.error("outbox.failed", e.count() + " send(s) through '" + id
                            + "' failed in the last 24 h with the same error", e.error() == null ? "no error recorded" : e.error(),
                    "read the provider's error: credentials or balance (fix at the provider), a refused recipient or "
                            + "content (fix the data), or a setting (sender, template); failed sends are not retried")));
        }
        for (ReportedFailure r : reported) {
            all.add(new Group(r.count(), Finding.error("outbox.failed", r.count() + " send(s) through '" + id
                            + "' failed in the last 24 h with the same error: the provider accepted them, then reported "
                            + "them " + r.status(), r.error() == null ? "the provider's delivery report gave no reason"
                            : r.error(),
                    "read the provider's error: a number that is wrong, switched off or barred, a recipient or operator "
                            + "that blocks the sender, a sender or template not allowed for that destination; the "
                            + "provider's message logs have each message (search by the provider message id on the "
                            + "session's timeline); Parley does not resend them")));
        }
        if (all.isEmpty()) {
            return List.of(Finding.ok("outbox.failed", "no send through '" + id + "' failed in the last 24 h, "
                    + "neither refused nor reported undelivered by the provider"));
        }
        List<Finding> groups = new ArrayList<>(all.stream().sorted((a, b) -> Long.compare(b.count(), a.count()))
                .limit(TOP).map(Group::finding).toList());
        if (all.size() > TOP) {
            groups.add(Finding.info("outbox.failed", (all.size() - TOP) + " more distinct send error(s) on '" + id + "'",
                    "", "see GET /api/sessions?connection=" + id));
        }
        return groups;
    }

    /**
     * Sessions no agent answers.
     *
     * @param inboundAgent the agent answering the connection, null for none
     * @param unanswered   sessions of the period without an agent
     */
    static Finding unanswered(String id, String inboundAgent, long unanswered) {
        String check = "agent.unanswered";
        if (unanswered == 0) {
            return Finding.ok(check, inboundAgent == null ? "no agent on '" + id + "' and no customer waiting for one"
                    : "agent '" + inboundAgent + "' answers '" + id + "'");
        }
        return Finding.warning(check, unanswered + " conversation(s) on '" + id + "' in the last 24 h got no answer",
                inboundAgent == null ? "no agent has '" + id + "' as its inbound connection"
                        : "they started before agent '" + inboundAgent + "' answered '" + id + "'",
                inboundAgent == null ? "set parley.agent.<id>.inbound=" + id + " on the agent that should answer, "
                        + "or stop the provider sending to this connection" : "nothing for new conversations; answer "
                        + "these by hand (POST /api/sessions/<id>/reply)");
    }

    /** Handoffs to this desk that failed in the period, grouped by error. */
    static List<Finding> failedHandoffs(String desk, List<ErrorCount> errors) {
        if (errors.isEmpty()) {
            return List.of();
        }
        List<Finding> out = new ArrayList<>();
        for (ErrorCount e : top(errors)) {
            out.add(Finding.error("handoff.failed", e.count() + " handoff(s) to desk '" + desk + "' failed in the last "
                            + "24 h: customers asked for a human and got the \"no one available\" text",
                    e.error() == null ? "no error recorded" : e.error(),
                    "fix what the desk's error names (credentials, a missing pipeline, group or field), then verify "
                            + "the desk connection (POST /api/connections/" + desk + "/verify)"));
        }
        return out;
    }

    /** The Help Center sync: its last error, or never run. */
    static Finding knowledge(String id, boolean present, Instant lastRunAt, int articles, String lastError) {
        String check = "knowledge.sync";
        if (!present || lastRunAt == null) {
            return Finding.info(check, "the articles of '" + id + "' have not been synced yet", "no sync has run",
                    "POST /api/connections/" + id + "/sync syncs now");
        }
        if (lastError != null && !lastError.isBlank()) {
            return Finding.error(check, "the bots answer from stale or no Help Center articles (" + articles
                    + " stored)", lastError, "fix the source's reason (credentials, Help Center enabled, locale), then "
                    + "POST /api/connections/" + id + "/sync");
        }
        return Finding.ok(check, articles + " articles, last synced " + lastRunAt);
    }

    /** The provider setup as last checked or registered by this instance. */
    static Finding setup(String id, boolean complete, List<String> items, Instant checkedAt) {
        String check = "setup.last-known";
        if (complete) {
            return Finding.ok(check, "provider setup complete when last checked (" + checkedAt + ")");
        }
        return Finding.error(check, "the provider may not send '" + id + "' its events (webhooks, triggers, "
                        + "subscription): incomplete when last checked (" + checkedAt + ")", String.join("; ", items),
                "POST /api/connections/" + id + "/setup creates or repairs it; GET /api/connections/" + id
                        + "/setup checks again");
    }

    private static List<ErrorCount> top(List<ErrorCount> errors) {
        return errors.stream().sorted((a, b) -> Long.compare(b.count(), a.count())).limit(TOP).toList();
    }

    private static long hours(Duration d) {
        return d.toHours();
    }
}
