package dev.parley.runtime.knowledge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.spi.Article;
import dev.parley.spi.KnowledgeSource;
import dev.parley.spi.RetryableException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyncRunTest {

    private final List<String> asked = new ArrayList<>();
    private final List<String> cursors = new ArrayList<>();
    private final Set<String> index = new HashSet<>(Set.of("old", "draft"));

    private final SyncRun.Target target = new SyncRun.Target() {
        @Override
        public void put(Article article) {
            index.add(article.id());
        }

        @Override
        public boolean remove(String articleId) {
            return index.remove(articleId);
        }

        @Override
        public void cursor(String cursor) {
            cursors.add(cursor);
        }
    };

    private static Article article(String id, boolean answerable) {
        return new Article(id, "en-us", "T" + id, "body", null, answerable, null);
    }

    /** Pages keyed by the cursor they are asked with ("" for the first). */
    private KnowledgeSource source(java.util.Map<String, KnowledgeSource.Page> pages) {
        return cursor -> {
            asked.add(String.valueOf(cursor));
            KnowledgeSource.Page p = pages.get(cursor == null ? "" : cursor);
            if (p == null) {
                throw new RetryableException("503 from the help center");
            }
            return p;
        };
    }

    @Test
    void readsPagesUntilNoMoreStoringTheCursorAfterEachPage() {
        SyncRun.Result r = SyncRun.run(source(java.util.Map.of(
                "", new KnowledgeSource.Page(List.of(article("1", true), article("draft", false)), "c1", true),
                "c1", new KnowledgeSource.Page(List.of(article("2", true), article("never-indexed", false)), "c2", false))),
                null, 50, target);
        assertEquals(List.of("null", "c1"), asked);
        assertEquals(List.of("c1", "c2"), cursors);
        assertEquals(new SyncRun.Result(2, 1, 2, "c2", true, Set.of("1", "2")), r, "the answerable ids seen are what a full run keeps");
        assertEquals(Set.of("old", "1", "2"), index);
    }

    @Test
    void resumesFromTheStoredCursor() {
        SyncRun.run(source(java.util.Map.of("c7", new KnowledgeSource.Page(List.of(), "c8", false))), "c7", 50, target);
        assertEquals(List.of("c7"), asked);
        assertEquals(List.of("c8"), cursors);
    }

    @Test
    void stopsAtThePageLimitWithMoreLeft() {
        KnowledgeSource endless = cursor -> {
            int n = cursor == null ? 0 : Integer.parseInt(cursor);
            return new KnowledgeSource.Page(List.of(article("a" + n, true)), String.valueOf(n + 1), true);
        };
        SyncRun.Result r = SyncRun.run(endless, null, 3, target);
        assertEquals(3, r.pages());
        assertFalse(r.finished());
        assertEquals("3", r.cursor());
        assertEquals(List.of("1", "2", "3"), cursors);
    }

    @Test
    void aFailureKeepsTheCursorOfTheLastGoodPage() {
        assertThrows(RetryableException.class, () -> SyncRun.run(source(java.util.Map.of(
                "", new KnowledgeSource.Page(List.of(article("1", true)), "c1", true))), null, 50, target));
        assertEquals(List.of("c1"), cursors);
        assertTrue(index.contains("1"));
    }

    @Test
    void aPageWithoutCursorKeepsTheOldOne() {
        SyncRun.Result r = SyncRun.run(source(java.util.Map.of("c1", new KnowledgeSource.Page(List.of(), null, false))),
                "c1", 50, target);
        assertEquals("c1", r.cursor());
        assertTrue(cursors.isEmpty());
    }
}
