package dev.parley.runtime.knowledge;

import dev.parley.runtime.connection.ConnectionLogService;
import dev.parley.runtime.connection.ConnectionManager;
import dev.parley.runtime.connection.ConnectionState;
import dev.parley.runtime.connection.ManagedConnection;
import dev.parley.spi.Article;
import dev.parley.spi.KnowledgeSource;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Syncs the knowledge of running connections that are a {@link KnowledgeSource} (a help center) into the
 * knowledge index: run by the sweeper (every few sweeps) and right after a connection starts, and by the admin
 * "sync now". A source is synced when due (never, or {@link KnowledgeSource#syncInterval()} after its last run)
 * by whichever instance claims its knowledge_sync row first. Articles are stored with the connection id as
 * their source.
 */
@ApplicationScoped
public class KnowledgeSync {

    private static final Logger LOG = Logger.getLogger(KnowledgeSync.class.getName());
    static final int MAX_PAGES = 50;
    /** Longer than any sane run of 50 pages; a crashed run's claim expires after it. */
    private static final Duration LEASE = Duration.ofMinutes(10);
    /** How often a source is read in full: incremental exports do not report deleted articles. */
    static final Duration FULL_SYNC_EVERY = Duration.ofDays(7);

    @Inject
    ConnectionManager connections;
    @Inject
    KnowledgeSyncStore store;
    @Inject
    KnowledgeService knowledge;
    @Inject
    ConnectionLogService logs;
    @Resource
    ManagedExecutorService executor;

    /** Every running knowledge source that is due (the sweeper's call). */
    public void runDue() {
        for (ManagedConnection c : connections.list()) {
            if (c.state() == ConnectionState.RUNNING && c.capability(KnowledgeSource.class).isPresent()) {
                try {
                    sync(c, false);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "knowledge sync of " + c.id() + " could not run; the next sweep retries", e);
                }
            }
        }
    }

    /** The sweeper's call: the sync runs on a worker, so a long one never delays the outbox sweep. */
    public void submitDue() {
        executor.execute(this::runDue);
    }

    /** Right after a connection started: a help center's first sync does not wait for the sweeper. */
    void onStarted(@jakarta.enterprise.event.Observes dev.parley.runtime.connection.ConnectionStarted started) {
        submit(started.connectionId());
    }

    /** Syncs a running knowledge source now, on a worker. */
    public void submit(String connectionId) {
        executor.execute(() -> connections.running(connectionId).filter(c -> c.capability(KnowledgeSource.class).isPresent())
                .ifPresent(c -> {
                    try {
                        sync(c, false);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "knowledge sync of " + connectionId + " could not run; the sweeper retries", e);
                    }
                }));
    }

    /**
     * Syncs now, ignoring the due time (the admin action); waits for nobody: when another instance holds the
     * source, nothing runs and the current state is returned.
     */
    public Optional<KnowledgeSyncStore.SyncState> runNow(ManagedConnection c) {
        return runNow(c, false);
    }

    /** @param full read the source from the start and remove what it no longer lists */
    public Optional<KnowledgeSyncStore.SyncState> runNow(ManagedConnection c, boolean full) {
        sync(c, true, full);
        return store.state(c.id());
    }

    public Optional<KnowledgeSyncStore.SyncState> state(String connectionId) {
        return store.state(connectionId);
    }

    /** @return true when this call ran the sync */
    boolean sync(ManagedConnection c, boolean force) {
        return sync(c, force, false);
    }

    boolean sync(ManagedConnection c, boolean force, boolean fullNow) {
        KnowledgeSource source = c.capability(KnowledgeSource.class).orElse(null);
        if (source == null) {
            return false;
        }
        String id = c.id();
        try {
            store.ensure(id);
        } catch (RuntimeException e) {
            if (store.state(id).isEmpty()) {
                throw e;
            }
            // another instance inserted the row first: fine
        }
        if (!store.claim(id, source.syncInterval(), LEASE, force)) {
            return false;
        }
        // A full pass weekly (or on request): from no cursor, then whatever the source no longer lists goes.
        boolean full = store.startFullIfDue(id, fullNow ? Duration.ZERO : FULL_SYNC_EVERY);
        String cursor = full ? null : store.state(id).map(KnowledgeSyncStore.SyncState::cursor).orElse(null);
        try {
            SyncRun.Result r = SyncRun.run(source, cursor, MAX_PAGES, new SyncRun.Target() {
                @Override
                public void put(Article a) {
                    knowledge.put(new KnowledgeArticle(id, a.id(), a.locale(), a.title(), a.body(), a.url()));
                }

                @Override
                public boolean remove(String articleId) {
                    return knowledge.remove(id, articleId);
                }

                @Override
                public void cursor(String next) {
                    store.cursor(id, next);
                }
            });
            int gone = 0;
            if (full && r.finished()) {
                gone = knowledge.removeAllExcept(id, r.answerable());
            }
            store.finished(id, r.finished());
            int total = store.state(id).map(KnowledgeSyncStore.SyncState::articles).orElse(0);
            logs.append(id, "INFO", "Help Center sync" + (full ? " (full)" : "") + ": " + r.changed() + " changed, "
                    + (r.removed() + gone) + " removed, "
                    + total + " articles" + (r.finished() ? "" : " (stopped after " + r.pages() + " pages; the next run continues)"));
        } catch (RuntimeException e) {
            String why = logs.mask(id, e.getClass().getSimpleName() + ": " + e.getMessage());
            store.failed(id, why);
            logs.append(id, "ERROR", "Help Center sync failed: " + why + "; it resumes from the last stored page");
        }
        return true;
    }
}
