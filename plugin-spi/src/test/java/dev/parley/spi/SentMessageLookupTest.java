package dev.parley.spi;

import dev.parley.spi.SentMessageLookup.Answer;
import dev.parley.spi.SentMessageLookup.Result;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SentMessageLookupTest {

    private static final SendReceipt RECEIPT = new SendReceipt("p-1", DeliveryStatus.DELIVERED, "DELIVERED_TO_HANDSET");

    @Test
    void factoriesBuildConsistentResults() {
        Result found = Result.found(RECEIPT, "in the logs");
        assertEquals(Answer.FOUND, found.answer());
        assertEquals(RECEIPT, found.receipt());
        assertNull(found.retryAfter());

        Result notFound = Result.notFound("not in the logs");
        assertEquals(Answer.NOT_FOUND, notFound.answer());
        assertNull(notFound.receipt());

        Result unknown = Result.unknown("429", Duration.ofSeconds(3));
        assertEquals(Answer.UNKNOWN, unknown.answer());
        assertEquals(Duration.ofSeconds(3), unknown.retryAfter());
        assertNull(Result.unknown("5xx", null).retryAfter());
    }

    @Test
    void inconsistentResultsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Result(Answer.FOUND, null, "x", null));
        assertThrows(IllegalArgumentException.class, () -> new Result(Answer.NOT_FOUND, RECEIPT, "x", null));
        assertThrows(IllegalArgumentException.class, () -> new Result(Answer.UNKNOWN, RECEIPT, "x", null));
        assertThrows(IllegalArgumentException.class, () -> new Result(Answer.NOT_FOUND, null, "x", Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> Result.unknown("x", Duration.ofSeconds(-1)));
        assertThrows(NullPointerException.class, () -> Result.notFound(null));
        assertThrows(NullPointerException.class, () -> Result.found(null, "x"));
    }
}
