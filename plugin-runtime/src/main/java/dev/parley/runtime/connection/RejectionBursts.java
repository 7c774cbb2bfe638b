package dev.parley.runtime.connection;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Folds repeated webhook rejections of a connection (a 401 storm, a sender with a broken payload) into one log
 * entry per burst, so an unauthenticated caller cannot grow the database: the first rejection opens a burst and
 * its row; later ones only count, and the row is rewritten with the count and the last reason at most every
 * {@code rewriteEvery} (and by the sweeper's {@link #flush}). A burst ends after {@code quiet} without rejections.
 * Pure bookkeeping; {@link ConnectionLogService} does the writing. Per instance.
 */
final class RejectionBursts {

    /** What to write for one rejection or flush: a new row, or a rewrite of the burst's row. */
    record Write(String connectionId, Burst burst, boolean insert, String text) {
    }

    static final class Burst {
        private final Instant started;
        private Instant last;
        private Instant written;
        private int count;
        private int writtenCount;
        private String lastReason;
        volatile Long rowId;

        Burst(Instant started) {
            this.started = started;
        }

        String text() {
            return count == 1 ? lastReason
                    : lastReason + " [rejected " + count + " times from " + started.truncatedTo(ChronoUnit.SECONDS)
                    + " to " + last.truncatedTo(ChronoUnit.SECONDS) + "; showing the last]";
        }

        int count() { return count; }
    }

    private final Duration quiet;
    private final Duration rewriteEvery;
    private final Map<String, Burst> open = new HashMap<>();

    RejectionBursts(Duration quiet, Duration rewriteEvery) {
        this.quiet = quiet;
        this.rewriteEvery = rewriteEvery;
    }

    synchronized Write record(String connectionId, String reason, Instant now) {
        Burst b = open.get(connectionId);
        if (b == null || b.last.plus(quiet).isBefore(now)) {
            b = new Burst(now);
            open.put(connectionId, b);
            b.count = 1;
            b.last = now;
            b.lastReason = reason;
            b.written = now;
            b.writtenCount = 1;
            return new Write(connectionId, b, true, b.text());
        }
        b.count++;
        b.last = now;
        b.lastReason = reason;
        if (!b.written.plus(rewriteEvery).isAfter(now)) {
            b.written = now;
            b.writtenCount = b.count;
            return new Write(connectionId, b, false, b.text());
        }
        return null;
    }

    /** Rewrites for bursts with unwritten counts; forgets bursts that have ended. */
    synchronized List<Write> flush(Instant now) {
        List<Write> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, Burst>> it = open.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Burst> e = it.next();
            Burst b = e.getValue();
            if (b.writtenCount != b.count) {
                b.written = now;
                b.writtenCount = b.count;
                out.add(new Write(e.getKey(), b, false, b.text()));
            }
            if (b.last.plus(quiet).isBefore(now)) {
                it.remove();
            }
        }
        return out;
    }
}
