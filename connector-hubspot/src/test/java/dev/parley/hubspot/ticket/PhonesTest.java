package dev.parley.hubspot.ticket;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PhonesTest {

    @Test
    void typedFormsNormaliseToE164() {
        for (String typed : List.of("+49 151 1234 5678", "+49 (0)151 12345678", "0049 151 12345678", "4915112345678",
                "+49-151-1234-5678")) {
            assertEquals(Optional.of("+4915112345678"), Phones.e164(typed), typed);
        }
        assertEquals(Optional.empty(), Phones.e164("jane@x.com"));
        assertEquals(Optional.empty(), Phones.e164("12"));
    }

    @Test
    void nationalFormsAreReadInTheCustomersRegion() {
        assertEquals(Optional.of("+4915112345678"), Phones.e164("0151 1234 5678", "+4915112345678"));
        assertEquals(Optional.of("+15135557611"), Phones.e164("(513) 555-7611", "+15135557611"));
    }

    @Test
    void variantsAreAtMostFive() {
        assertEquals(List.of("+4915112345678", "4915112345678", "+49 1511 2345678", "01511 2345678", "015112345678"),
                Phones.variants("+4915112345678"));
        assertEquals(List.of("+15135557611", "15135557611", "+1 513-555-7611", "(513) 555-7611", "5135557611"),
                Phones.variants("+15135557611"));
    }
}
