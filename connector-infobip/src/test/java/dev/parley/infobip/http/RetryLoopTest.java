package dev.parley.infobip.http;

import dev.parley.infobip.FakeContext;
import dev.parley.infobip.FakeResponse;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Only a read answered 429 with a short Retry-After is repeated in-line; everything else goes back at once. */
class RetryLoopTest {

    private final List<Duration> slept = new ArrayList<>();
    private final RetryLoop loop = new RetryLoop(RetryLoop.MAX_INLINE_WAIT, RetryLoop.MAX_429_RETRIES, slept::add,
            Clock.fixed(FakeContext.NOW, ZoneOffset.UTC));
    private final Deque<Response> answers = new ArrayDeque<>();
    private int calls;

    private Supplier<Response> request() {
        return () -> {
            calls++;
            return answers.poll();
        };
    }

    private static FakeResponse tooMany(String retryAfter) {
        FakeResponse r = new FakeResponse(429, "{\"errorCode\":\"E429\",\"description\":\"Too many requests sent.\"}");
        return retryAfter == null ? r : r.header("Retry-After", retryAfter);
    }

    @Test
    void anAnswerIsReadAndClosed() {
        FakeResponse ok = new FakeResponse(200, "{\"x\":1}").header("Retry-After", "5");
        answers.add(ok);
        assertEquals(new InfobipResponse(200, "5", "{\"x\":1}"), loop.run(request(), true));
        assertTrue(ok.closed);
        assertEquals(1, calls);
        assertTrue(slept.isEmpty());
    }

    @Test
    void aShortRetryAfterIsWaitedOutInLine() {
        answers.add(tooMany("1"));
        answers.add(new FakeResponse(200, "{}"));
        assertEquals(200, loop.run(request(), true).status());
        assertEquals(2, calls);
        assertEquals(List.of(Duration.ofSeconds(1)), slept);
    }

    @Test
    void aWriteIsMadeOnceWhateverTheAnswer() {
        // A send's 429 goes to the outbox, which counts the attempt and shows it in the timeline.
        answers.add(tooMany("1"));
        answers.add(new FakeResponse(200, "{}"));
        assertEquals(429, loop.run(request(), false).status());
        assertEquals(1, calls);
        assertTrue(slept.isEmpty());
    }

    @Test
    void anHttpDateSoonIsShortToo() {
        answers.add(tooMany("Mon, 01 Jan 2024 10:00:02 GMT")); // "now" is 10:00:00
        answers.add(new FakeResponse(200, "{}"));
        assertEquals(200, loop.run(request(), true).status());
        assertEquals(List.of(Duration.ofSeconds(2)), slept);
    }

    @Test
    void atMostTwiceThenTheLast429GoesBack() {
        answers.add(tooMany("0"));
        answers.add(tooMany("1"));
        FakeResponse last = tooMany("1");
        answers.add(last);
        answers.add(new FakeResponse(200, "{}")); // never asked for
        InfobipResponse r = loop.run(request(), true);
        assertEquals(429, r.status());
        assertEquals("1", r.retryAfter());
        assertEquals(3, calls);
        assertEquals(List.of(Duration.ZERO, Duration.ofSeconds(1)), slept);
        assertTrue(last.closed);
    }

    @ParameterizedTest(name = "{0} with Retry-After ''{1}'' goes back at once")
    @CsvSource(nullValues = "none", value = {
            "429, 3",                               // longer than the in-line bound: the outbox waits, not a thread
            "429, 'Mon, 01 Jan 2024 10:00:42 GMT'",
            "429, none",                            // Infobip documents no Retry-After: the outbox's backoff decides
            "429, soon",
            "500, 1",                               // 5xx: the runtime retries (a send may have landed)
            "503, 0",
            "408, 0",
            "400, 0",
            "401, 0"})
    void everythingElseGoesBackAtOnce(int status, String retryAfter) {
        FakeResponse r = new FakeResponse(status, "");
        answers.add(retryAfter == null ? r : r.header("Retry-After", retryAfter));
        answers.add(new FakeResponse(200, "{}"));
        assertEquals(status, loop.run(request(), true).status());
        assertEquals(1, calls);
        assertTrue(slept.isEmpty());
    }

    @Test
    void networkFailuresAreNotRepeated() {
        Supplier<Response> refused = () -> {
            calls++;
            throw new ProcessingException(new ConnectException("Connection refused"));
        };
        assertThrows(ProcessingException.class, () -> loop.run(refused, true));
        assertEquals(1, calls);
    }

    @Test
    void aMappedStatusExceptionStillYieldsItsResponse() {
        Supplier<Response> mapped = () -> {
            throw new WebApplicationException(new FakeResponse(404, "{\"requestError\":{}}"));
        };
        assertEquals(404, loop.run(mapped, true).status());
    }

    @Test
    void anInterruptedWaitGivesBackThe429() {
        RetryLoop interrupted = new RetryLoop(RetryLoop.MAX_INLINE_WAIT, 2, d -> {
            throw new InterruptedException();
        }, Clock.systemUTC());
        answers.add(tooMany("1"));
        try {
            assertEquals(429, interrupted.run(request(), true).status());
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted(); // clear it for the next test
        }
        assertEquals(1, calls);
    }
}
