package dev.parley.runtime.lifecycle;

import dev.parley.runtime.agent.AgentRegistry;
import dev.parley.runtime.agent.Agents;
import dev.parley.runtime.connection.ConnectionManager;
import dev.parley.runtime.connection.ConnectorRegistry;
import dev.parley.runtime.persistence.SchemaMigration;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.Config;

/**
 * Start-up, driven by the web module's lifecycle (a listener declared in web.xml, because CDI's
 * initialization event fires before Payara binds the component environment). While the application deploys, the configuration is checked: connectors, connections and
 * agents; a conflict (two agents on one connection, a duplicate connector type) fails the deployment
 * with a message naming both. The database-dependent part (schema migration, starting connections,
 * the sweeper) runs right after, on the managed scheduler, because Payara binds the application's
 * datasource only once deployment has finished. Until it is done, readiness is DOWN and webhooks
 * answer 503.
 */
@ApplicationScoped
public class ParleyStartup {

    private static final Logger LOG = Logger.getLogger(ParleyStartup.class.getName());
    /** Defined by parley-war's web.xml. */
    static final String DATASOURCE = "java:app/jdbc/parley";
    /** The small non-transactional pool id blocks come from (web.xml). */
    static final String SEQUENCE_DATASOURCE = "java:app/jdbc/parley-sequence";
    private static final long DATASOURCE_WAIT_MS = 120_000;
    private static final Duration START_DELAY = Duration.ofSeconds(2);

    @Inject
    Config config;
    @Inject
    Agents agents;
    @Inject
    ConnectionManager connections;
    @Inject
    Sweeper sweeper;
    @Inject
    dev.parley.runtime.knowledge.KnowledgeService knowledge;
    @Inject
    dev.parley.runtime.chatbot.ChatbotService chatbots;
    @Inject
    dev.parley.runtime.health.StartupStatus status;
    @Inject
    dev.parley.runtime.media.MediaService media;
    @Inject
    dev.parley.runtime.ratelimit.SharedRateLimits rateLimits;
    @Resource
    ManagedScheduledExecutorService scheduler;

    /** Start once, even if a second module triggers it. */
    private final AtomicBoolean started = new AtomicBoolean();
    private long waitedMs;

    /** Called by {@link ParleyLifecycle} when the web module starts. */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        agents.load(AgentRegistry.fromConfig(config),
                agent -> dev.parley.runtime.bot.external.ExternalBots.create(agent.id(), agent.bot(), config, knowledge));
        ConnectorRegistry registry = ConnectorRegistry.discover(Thread.currentThread().getContextClassLoader());
        LOG.info(() -> "Parley connectors installed: " + registry.types());
        connections.load(registry);
        agents.registry().all().forEach(a -> a.inbound().forEach(c -> {
            if (connections.find(c).isEmpty()) {
                throw new IllegalStateException("agent '" + a.id() + "' takes inbound traffic of connection '" + c
                        + "', which is not configured (parley.connection." + c + ".type is missing)");
            }
        }));
        initializeDatabaseAndStart();
    }

    private void initializeDatabaseAndStart() {
        DataSource dataSource;
        try {
            dataSource = InitialContext.doLookup(DATASOURCE);
        } catch (NamingException e) {
            if (waitedMs % 5000 == 0) {
                LOG.log(Level.INFO, "waiting for datasource " + DATASOURCE + ": " + e, e.getRootCause());
            }
            if ((waitedMs += 1000) < DATASOURCE_WAIT_MS) {
                // Managed tasks that run while the application is still deploying are aborted: wait longer.
                scheduler.schedule(this::initializeDatabaseAndStart, 1000, TimeUnit.MILLISECONDS);
            } else {
                String why = "datasource " + DATASOURCE + " never became available";
                status.failed(why);
                LOG.severe(why);
            }
            return;
        }
        try {
            SchemaMigration.migrate(dataSource);
            dev.parley.runtime.persistence.Ids.init(InitialContext.doLookup(SEQUENCE_DATASOURCE));
            connections.rewrapSecrets();
            media.start(dataSource);
            rateLimits.start(dataSource);
            knowledge.refreshIfChanged();
            chatbots.importAgentDefinitions();
            // Connection starts and the sweeper run on managed threads, which Payara only serves once
            // the deployment has finished.
            connections.startAllLater(START_DELAY);
            sweeper.start();
            status.started();
            LOG.info("Parley started");
        } catch (RuntimeException | LinkageError | NamingException e) {
            // A scheduled task's failure is otherwise swallowed by its Future: say it loudly.
            status.failed("start-up failed: " + e);
            LOG.log(Level.SEVERE, "Parley start-up failed; fix the database settings (parley.datasource.*) and redeploy", e);
        }
    }

    public void stop() {
        if (started.compareAndSet(true, false)) {
            status.stopped();
            sweeper.stop();
            connections.stopAll();
            agents.close();
        }
    }
}
