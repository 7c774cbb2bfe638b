package dev.parley.runtime.doctor;

import dev.parley.spi.Finding;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;

/**
 * What {@code GET /api/doctor} answers: the runtime-wide findings and, per connection, its state and findings,
 * the worst first.
 *
 * @param worst the most severe finding of all ({@code OK} when every check passed)
 */
public record DoctorReport(OffsetDateTime checkedAt, Finding.Severity worst, List<Finding> runtime,
                           List<ConnectionReport> connections) {

    /** One connection: its state and findings (the runtime's checks, then the connector's own). */
    public record ConnectionReport(String id, String type, String state, String reason, boolean enabled,
                                   Finding.Severity worst, List<Finding> findings) {
    }

    static final Comparator<Finding> WORST_FIRST = Comparator.comparing(Finding::severity).reversed();

    static Finding.Severity worst(List<Finding> findings) {
        return findings.stream().map(Finding::severity).max(Comparator.naturalOrder()).orElse(Finding.Severity.OK);
    }
}
