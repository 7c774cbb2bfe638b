package dev.parley.runtime.knowledge;

import dev.parley.spi.Article;
import dev.parley.spi.KnowledgeSource;

/**
 * One sync of a knowledge source, as plain Java: pages from the stored cursor until the source has no more
 * (at most {@code maxPages} per run, so one huge source cannot hold a worker), each article put into or removed
 * from the index, and the cursor stored after every page so a crash resumes where it stopped.
 */
final class SyncRun {

    /** Where the articles go and where the cursor is kept. */
    interface Target {
        void put(Article article);

        /** @return false when the article was not in the index */
        boolean remove(String articleId);

        void cursor(String cursor);
    }

    /**
     * @param changed  articles added or updated
     * @param removed  articles taken out of the index (not answerable any more)
     * @param pages    pages read
     * @param cursor   the cursor stored last
     * @param finished false when the page limit stopped the run with more pages ready
     * @param answerable ids of the answerable articles this run saw (a full run: all the source lists)
     */
    record Result(int changed, int removed, int pages, String cursor, boolean finished, java.util.Set<String> answerable) {
    }

    private SyncRun() {
    }

    static Result run(KnowledgeSource source, String cursor, int maxPages, Target target) {
        int changed = 0;
        int removed = 0;
        int pages = 0;
        boolean more = true;
        java.util.Set<String> answerable = new java.util.HashSet<>();
        while (more && pages < maxPages) {
            KnowledgeSource.Page page = source.changedSince(cursor);
            pages++;
            for (Article a : page.articles() == null ? java.util.List.<Article>of() : page.articles()) {
                if (a.answerable()) {
                    target.put(a);
                    answerable.add(a.id());
                    changed++;
                } else if (target.remove(a.id())) {
                    removed++;
                }
            }
            // A source that returns no cursor keeps the old one: the next run starts there again.
            if (page.nextCursor() != null) {
                cursor = page.nextCursor();
                target.cursor(cursor);
            }
            more = page.more();
        }
        return new Result(changed, removed, pages, cursor, !more, java.util.Set.copyOf(answerable));
    }
}
