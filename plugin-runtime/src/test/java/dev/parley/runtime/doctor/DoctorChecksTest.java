package dev.parley.runtime.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.spi.Finding;
import dev.parley.spi.Finding.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DoctorChecksTest {

    private final Instant now = Instant.parse("2026-11-30T12:00:00Z");
    private final Duration day = Duration.ofHours(24);

    @Test
    void stateErrorCarriesTheReasonAndStoppedDisabledIsOnlyInfo() {
        Finding error = DoctorChecks.state("sms", "ERROR", "401 Unauthorized", true);
        assertEquals(Severity.ERROR, error.severity());
        assertEquals("401 Unauthorized", error.cause());
        assertTrue(error.fix().contains("/api/connections/sms/start"), error.fix());
        assertEquals(Severity.WARNING, DoctorChecks.state("sms", "STOPPED", null, true).severity());
        assertEquals(Severity.INFO, DoctorChecks.state("sms", "STOPPED", null, false).severity());
        assertEquals(Severity.OK, DoctorChecks.state("sms", "RUNNING", null, true).severity());
    }

    @Test
    void silenceWarnsAfterTheLimitWithTheUrlInTheFix() {
        Finding quiet = DoctorChecks.silence("wa", now.minus(Duration.ofHours(26)), now.minus(Duration.ofDays(5)), day, now,
                List.of("https://p.example/channel/wa/webhook/inbound"));
        assertEquals(Severity.WARNING, quiet.severity());
        assertTrue(quiet.symptom().contains("26 h"), quiet.symptom());
        assertTrue(quiet.fix().contains("https://p.example/channel/wa/webhook/inbound"), quiet.fix());
        assertEquals(Severity.OK, DoctorChecks.silence("wa", now.minus(Duration.ofHours(2)), null, day, now, List.of()).severity());
    }

    @Test
    void silenceWithoutAnyMessageCountsFromTheStart() {
        assertEquals(Severity.OK, DoctorChecks.silence("wa", null, now.minus(Duration.ofHours(3)), day, now, List.of()).severity());
        Finding never = DoctorChecks.silence("wa", null, now.minus(Duration.ofHours(30)), day, now, List.of());
        assertEquals(Severity.WARNING, never.severity());
        assertTrue(never.symptom().contains("since it started"), never.symptom());
    }

    @Test
    void rejectionsAddTheBurstCountsPerStatusAndNameCredentialsFor401() {
        Finding f = DoctorChecks.rejections("sms", List.of(
                "webhook 'inbound' rejected (401): missing credentials [rejected 12 times from 2026-11-30T10:00:00Z to "
                        + "2026-11-30T10:01:00Z; showing the last]",
                "webhook 'inbound' rejected (400): body is not JSON"));
        assertEquals(Severity.WARNING, f.severity());
        assertTrue(f.symptom().startsWith("13 webhook call(s)"), f.symptom());
        assertTrue(f.symptom().contains("12 × HTTP 401") && f.symptom().contains("1 × HTTP 400"), f.symptom());
        assertTrue(f.cause().contains("credentials"), f.cause());
        Finding body = DoctorChecks.rejections("sms", List.of("webhook 'inbound' rejected (400): body is not JSON"));
        assertTrue(body.cause().contains("body"), body.cause());
        assertEquals(Severity.OK, DoctorChecks.rejections("sms", List.of()).severity());
    }

    @Test
    void failedSendsAreGroupedMostFrequentFirstAndCutAtTheTop() {
        List<Finding> f = DoctorChecks.failedSends("sms", List.of(
                new DoctorChecks.ErrorCount("a", 1), new DoctorChecks.ErrorCount("b", 7),
                new DoctorChecks.ErrorCount("c", 3), new DoctorChecks.ErrorCount("d", 2)), List.of());
        assertEquals(4, f.size());
        assertEquals("b", f.get(0).cause());
        assertTrue(f.get(0).symptom().startsWith("7 send(s)"), f.get(0).symptom());
        assertEquals("c", f.get(1).cause());
        assertEquals(Severity.INFO, f.get(3).severity());
        assertEquals(List.of(Severity.OK), DoctorChecks.failedSends("sms", List.of(), List.of()).stream()
                .map(Finding::severity).toList());
    }

    @Test
    void messagesTheProviderReportedUndeliveredCountAsFailedSends() {
        List<Finding> f = DoctorChecks.failedSends("sms", List.of(new DoctorChecks.ErrorCount("Infobip refused: E400", 2)),
                List.of(new DoctorChecks.ReportedFailure("UNDELIVERABLE", "EC_ABSENT_SUBSCRIBER: absent subscriber", 5),
                        new DoctorChecks.ReportedFailure("EXPIRED", null, 1)));
        assertEquals(3, f.size(), f.toString());
        Finding top = f.get(0);
        assertEquals(Severity.ERROR, top.severity());
        assertEquals("outbox.failed", top.check());
        assertTrue(top.symptom().startsWith("5 send(s) through 'sms' failed") && top.symptom().contains("reported them "
                + "UNDELIVERABLE"), top.symptom());
        assertEquals("EC_ABSENT_SUBSCRIBER: absent subscriber", top.cause());
        assertTrue(top.fix().contains("message logs"), top.fix());
        assertEquals("Infobip refused: E400", f.get(1).cause());
        assertTrue(f.get(1).fix().contains("not retried"), f.get(1).fix());
        assertEquals("the provider's delivery report gave no reason", f.get(2).cause());
        assertTrue(f.get(2).symptom().startsWith("1 send(s)") && f.get(2).symptom().endsWith("EXPIRED"), f.get(2).symptom());

        List<Finding> reportsOnly = DoctorChecks.failedSends("wa", List.of(),
                List.of(new DoctorChecks.ReportedFailure("REJECTED", "x", 1)));
        assertEquals(List.of(Severity.ERROR), reportsOnly.stream().map(Finding::severity).toList());
    }

    @Test
    void unansweredNamesTheMissingAgent() {
        Finding none = DoctorChecks.unanswered("sms2", null, 4);
        assertEquals(Severity.WARNING, none.severity());
        assertTrue(none.fix().contains("parley.agent.<id>.inbound=sms2"), none.fix());
        assertEquals(Severity.OK, DoctorChecks.unanswered("sms", "it", 0).severity());
    }

    @Test
    void knowledgeAndSetupFindings() {
        assertEquals(Severity.ERROR, DoctorChecks.knowledge("zd", true, now, 3, "401").severity());
        assertEquals(Severity.INFO, DoctorChecks.knowledge("zd", false, null, 0, null).severity());
        assertEquals(Severity.OK, DoctorChecks.knowledge("zd", true, now, 3, null).severity());
        Finding setup = DoctorChecks.setup("zd", false, List.of("webhook: missing"), now);
        assertEquals(Severity.ERROR, setup.severity());
        assertEquals("webhook: missing", setup.cause());
        assertEquals(Severity.OK, DoctorChecks.setup("zd", true, List.of(), now).severity());
        assertEquals(1, DoctorChecks.failedHandoffs("desk", List.of(new DoctorChecks.ErrorCount("403", 2))).size());
    }
}
