package dev.parley.runtime.retention;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Bounded storage: the sweeper calls {@link #purgeIfDue()} on every sweep; a purge runs every
 * {@code parley.retention.interval} (and again on the next sweep while a batch came back full). Every instance
 * may run it. Failures are logged, never thrown: retention must not stop the sweeper's other work.
 */
@ApplicationScoped
public class Retention {

    private static final Logger LOG = Logger.getLogger(Retention.class.getName());
    private static final Duration REPORT_EVERY = Duration.ofHours(1);

    @Inject @ConfigProperty(name = "parley.retention.connection-log")
    String connectionLog;
    @Inject @ConfigProperty(name = "parley.retention.sessions")
    String sessions;
    @Inject @ConfigProperty(name = "parley.retention.outbox")
    String outbox;
    @Inject @ConfigProperty(name = "parley.retention.bot-turns")
    String botTurns;
    @Inject @ConfigProperty(name = "parley.retention.media")
    String media;
    @Inject @ConfigProperty(name = "parley.retention.batch-size")
    int batchSize;
    @Inject @ConfigProperty(name = "parley.retention.interval")
    String interval;
    @Inject
    JpaTransactions transactions;

    private RetentionSettings settings;
    private Purger purger;
    private Instant nextRun = Instant.EPOCH;
    private Instant nextReport;
    private final Map<String, Integer> sinceReport = new LinkedHashMap<>();
    private Instant lastFailureLogged = Instant.EPOCH;

    @PostConstruct
    void init() {
        try {
            settings = new RetentionSettings(
                    RetentionSettings.retention("parley.retention.connection-log", connectionLog),
                    RetentionSettings.retention("parley.retention.sessions", sessions),
                    RetentionSettings.retention("parley.retention.outbox", outbox),
                    RetentionSettings.retention("parley.retention.bot-turns", botTurns),
                    RetentionSettings.retention("parley.retention.media", media),
                    batchSize, RetentionSettings.duration("parley.retention.interval", interval));
        } catch (IllegalArgumentException e) {
            settings = RetentionSettings.defaults();
            LOG.severe(() -> "retention settings refused (" + e.getMessage() + "); using the defaults: " + settings.describe());
        }
        purger = new Purger(settings, transactions);
        nextReport = Instant.now().plus(REPORT_EVERY);
        LOG.info(() -> "retention: " + settings.describe());
    }

    public RetentionSettings settings() {
        return settings;
    }

    /** Runs a purge when one is due; called by the sweeper thread (one at a time per instance). */
    public synchronized void purgeIfDue() {
        Instant now = Instant.now();
        if (now.isBefore(nextRun)) {
            return;
        }
        nextRun = now.plus(settings.interval());
        try {
            Purger.Outcome outcome = purger.run(OffsetDateTime.now());
            if (outcome.backlog()) {
                nextRun = now; // more is waiting: the next sweep continues, in batches as small as this one
            }
            outcome.deleted().forEach((table, n) -> sinceReport.merge(table, n, Integer::sum));
            if (!outcome.failures().isEmpty()) {
                failed(now, outcome.failures().get(0), outcome.failures().size());
            }
            if (outcome.total() > 0) {
                LOG.fine(() -> "retention deleted " + outcome.deleted());
            }
            if (!now.isBefore(nextReport)) {
                nextReport = now.plus(REPORT_EVERY);
                if (sinceReport.values().stream().anyMatch(n -> n > 0)) {
                    LOG.info("retention deleted in the last hour or so: " + sinceReport);
                }
                sinceReport.clear();
            }
        } catch (RuntimeException e) {
            failed(now, e, 1);
        }
    }

    /** A failed step is logged at most once an hour (say, a foreign key from a table this purge does not know). */
    private void failed(Instant now, RuntimeException e, int steps) {
        if (Duration.between(lastFailureLogged, now).compareTo(REPORT_EVERY) >= 0) {
            lastFailureLogged = now;
            LOG.log(Level.WARNING, "retention: " + steps + " purge step(s) failed; tried again every "
                    + settings.interval() + " (logged at most hourly)", e);
        }
    }
}
