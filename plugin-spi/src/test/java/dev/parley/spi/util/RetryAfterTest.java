package dev.parley.spi.util;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RetryAfterTest {

    private final Clock clock = Clock.fixed(Instant.parse("2015-10-21T07:28:00Z"), ZoneOffset.UTC);

    @Test
    void seconds() {
        assertEquals(Duration.ofSeconds(120), RetryAfter.parse("120", clock));
        assertEquals(Duration.ZERO, RetryAfter.parse(" 0 ", clock));
    }

    @Test
    void httpDate() {
        assertEquals(Duration.ofSeconds(90), RetryAfter.parse("Wed, 21 Oct 2015 07:29:30 GMT", clock));
        assertEquals(Duration.ZERO, RetryAfter.parse("Wed, 21 Oct 2015 07:00:00 GMT", clock));
    }

    @Test
    void absentOrGarbage() {
        assertNull(RetryAfter.parse(null, clock));
        assertNull(RetryAfter.parse("", clock));
        assertNull(RetryAfter.parse("soon", clock));
        assertNull(RetryAfter.parse("-5", clock));
        assertNull(RetryAfter.parse("99999999999999999999", clock));
    }
}
