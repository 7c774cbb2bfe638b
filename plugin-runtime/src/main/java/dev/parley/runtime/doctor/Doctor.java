package dev.parley.runtime.doctor;

import dev.parley.runtime.agent.AgentDefinition;
import dev.parley.runtime.agent.Agents;
import dev.parley.runtime.config.RuntimeSettings;
import dev.parley.runtime.connection.ConnectionLogService;
import dev.parley.runtime.connection.ConnectionManager;
import dev.parley.runtime.connection.ConnectionState;
import dev.parley.runtime.connection.ManagedConnection;
import dev.parley.runtime.knowledge.KnowledgeSync;
import dev.parley.runtime.setup.ProviderSetups;
import dev.parley.spi.Connector;
import dev.parley.spi.Diagnosable;
import dev.parley.spi.Finding;
import dev.parley.spi.HandoffDesk;
import dev.parley.spi.KnowledgeSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The doctor: runs the troubleshooting checks an operator would do by hand (connection state, webhooks that stopped
 * arriving or are refused, sends and handoffs failing with one error, conversations nobody answers, the Help Center
 * sync, the provider setup) from what the runtime already knows, and asks each running {@link Diagnosable}
 * connection for its own. Read-only; a check that fails is reported as a finding.
 *
 * <p>Webhook rejections are read from the connection log, where a burst's first rejection is written at once but the
 * later ones are only counted in memory until the sweeper (every {@code parley.sweeper.interval-ms}) or a rejection
 * 5 s later rewrites the row. The doctor first writes this instance's pending counts (the sweeper's own flush, no new
 * row), so what it reports is current here; other instances' counts can still be one sweep behind.
 */
@ApplicationScoped
public class Doctor {

    /** The period the grouped checks (rejections, failed sends and handoffs, unanswered) look back over. */
    static final Duration PERIOD = Duration.ofHours(24);

    @Inject
    ConnectionManager connections;
    @Inject
    ConnectionLogService logs;
    @Inject
    Agents agents;
    @Inject
    RuntimeSettings settings;
    @Inject
    KnowledgeSync knowledge;
    @Inject
    ProviderSetups setups;
    @Inject
    DoctorFacts facts;
    @Inject
    @ConfigProperty(name = "parley.doctor.silence", defaultValue = "PT24H")
    Duration silence;

    public DoctorReport examine() {
        writePendingRejections();
        List<DoctorReport.ConnectionReport> reports = connections.list().stream().map(this::examine).toList();
        List<Finding> runtime = runtimeFindings();
        Finding.Severity worst = reports.stream().map(DoctorReport.ConnectionReport::worst)
                .reduce(DoctorReport.worst(runtime), (a, b) -> a.compareTo(b) >= 0 ? a : b);
        return new DoctorReport(OffsetDateTime.now(), worst, runtime, reports);
    }

    public Optional<DoctorReport.ConnectionReport> examine(String connectionId) {
        writePendingRejections();
        return connections.find(connectionId).map(this::examine);
    }

    DoctorReport.ConnectionReport examine(ManagedConnection c) {
        String id = c.id();
        Instant now = Instant.now();
        Instant from = now.minus(PERIOD);
        List<Finding> out = new ArrayList<>();
        out.add(DoctorChecks.state(id, c.state().name(), c.reason(), c.enabled()));
        String agent = agents.registry().inboundAgent(id).map(AgentDefinition::id).orElse(null);
        List<String> kinds = c.connector().map(Connector::webhookKinds).orElse(List.of());
        guarded(out, id, "database", () -> {
            if (agent != null && !kinds.isEmpty() && c.state() == ConnectionState.RUNNING) {
                List<String> urls = kinds.stream().map(k -> settings.publicUrl() + "/channel/" + id + "/webhook/" + k).toList();
                out.add(DoctorChecks.silence(id, facts.lastInbound(id), c.since() == null ? null : c.since().toInstant(),
                        silence, now, urls));
            }
            if (!kinds.isEmpty()) {
                out.add(DoctorChecks.rejections(id, facts.rejections(id, from)));
            }
            out.addAll(DoctorChecks.failedSends(id, facts.failedSends(id, from), facts.failedReports(id, from)));
            long unanswered = facts.unanswered(id, from);
            if (agent != null || unanswered > 0) {
                out.add(DoctorChecks.unanswered(id, agent, unanswered));
            }
            if (c.capability(HandoffDesk.class).isPresent()) {
                out.addAll(DoctorChecks.failedHandoffs(id, facts.failedHandoffs(id, from)));
            }
        });
        if (c.capability(KnowledgeSource.class).isPresent()) {
            guarded(out, id, "knowledge", () -> {
                var s = knowledge.state(id).orElse(null);
                out.add(DoctorChecks.knowledge(id, s != null, s == null || s.lastRunAt() == null ? null : s.lastRunAt().toInstant(),
                        s == null ? 0 : s.articles(), s == null ? null : s.lastError()));
            });
        }
        setups.lastKnown(id).ifPresent(k -> out.add(DoctorChecks.setup(id, k.complete(), k.items(), k.checkedAt().toInstant())));
        if (c.state() == ConnectionState.RUNNING) {
            c.capability(Diagnosable.class).ifPresent(d -> guarded(out, id, "connector", () -> {
                List<Finding> own = d.diagnose();
                if (own != null) {
                    own.stream().filter(java.util.Objects::nonNull).forEach(out::add);
                }
            }));
        }
        List<Finding> safe = out.stream().map(f -> mask(id, f)).sorted(DoctorReport.WORST_FIRST).toList();
        return new DoctorReport.ConnectionReport(id, c.type(), c.state().name(), c.reason(), c.enabled(),
                DoctorReport.worst(safe), safe);
    }

    /** Agents pointing at connections that do not exist. */
    List<Finding> runtimeFindings() {
        Set<String> ids = connections.list().stream().map(ManagedConnection::id).collect(Collectors.toSet());
        List<Finding> out = new ArrayList<>();
        for (AgentDefinition a : agents.registry().all()) {
            for (String in : a.inbound()) {
                if (!ids.contains(in)) {
                    out.add(Finding.error("agent.inbound", "agent '" + a.id() + "' answers nobody on '" + in + "'",
                            "no connection '" + in + "' is configured", "add parley.connection." + in
                                    + ".type=... or correct parley.agent." + a.id() + ".inbound"));
                }
            }
            if (a.canHandOff() && !AgentDefinition.CONSOLE.equals(a.handoff()) && !ids.contains(a.handoff())) {
                out.add(Finding.error("agent.handoff", "customers of agent '" + a.id() + "' who ask for a human get "
                        + "the \"no one available\" text", "its desk '" + a.handoff() + "' is not a configured connection",
                        "configure parley.connection." + a.handoff() + " or correct parley.agent." + a.id() + ".handoff"));
            }
        }
        if (out.isEmpty()) {
            out.add(Finding.ok("agent.config", agents.registry().all().size() + " agent(s), every inbound connection and desk configured"));
        }
        return out.stream().sorted(DoctorReport.WORST_FIRST).toList();
    }

    /** This instance's pending rejection counts into the log rows the checks read; on failure they lag a sweep. */
    private void writePendingRejections() {
        try {
            logs.flushRejections();
        } catch (RuntimeException e) {
            java.util.logging.Logger.getLogger(Doctor.class.getName()).fine(() -> "rejection counts not written: " + e);
        }
    }

    private void guarded(List<Finding> out, String id, String what, Runnable check) {
        try {
            check.run();
        } catch (RuntimeException e) {
            out.add(Finding.error("doctor." + what, "the doctor could not finish its " + what + " checks of '" + id + "'",
                    e.getClass().getSimpleName() + ": " + e.getMessage(), "see the server log; ask again"));
        }
    }

    /** Last line of defence: the connection's secrets never leave in a finding. */
    private Finding mask(String id, Finding f) {
        return new Finding(f.severity(), f.check(), logs.mask(id, f.symptom()), logs.mask(id, f.cause()),
                logs.mask(id, f.fix()));
    }
}
