package dev.parley.infobip.sms;

import dev.parley.spi.PermanentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PhoneNumbersTest {

    @ParameterizedTest
    @ValueSource(strings = {"41793026727", "+41793026727", "  +41793026727 \n"})
    void acceptsInternationalDigits(String raw) {
        assertEquals("+41793026727", PhoneNumbers.normalize(raw));
    }

    @Test
    void acceptsOtherCountries() {
        assertEquals("+385916242493", PhoneNumbers.normalize("385916242493"));
        assertEquals("+14155552671", PhoneNumbers.normalize("+14155552671"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"123-456-7890", "(123) 456-7890", "+41 79 302 67 27", "abc", "++41793026727",
            "41793026727x", "+"})
    void rejectsFormatting(String raw) {
        PermanentException e = assertThrows(PermanentException.class, () -> PhoneNumbers.normalize(raw));
        assertTrue(e.getMessage().contains("international format"), e.getMessage());
        assertTrue(e.getMessage().contains("41793026727"), "shows an example: " + e.getMessage());
    }

    @Test
    void messageNamesTheBadInput() {
        PermanentException e = assertThrows(PermanentException.class, () -> PhoneNumbers.normalize("123-456-7890"));
        assertEquals("recipient '123-456-7890' is not a phone number in international format: use digits only "
                + "with the country code, e.g. 41793026727 or +41793026727 (spaces, dashes and parentheses are "
                + "not accepted)", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void rejectsEmpty(String raw) {
        PermanentException e = assertThrows(PermanentException.class, () -> PhoneNumbers.normalize(raw));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void rejectsNull() {
        assertThrows(PermanentException.class, () -> PhoneNumbers.normalize(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"4179302", "417930267271234", "1234567890123456789", "0041793026727", "999123456789"})
    void rejectsInvalidNumbers(String raw) {
        PermanentException e = assertThrows(PermanentException.class, () -> PhoneNumbers.normalize(raw));
        assertTrue(e.getMessage().contains("not a valid phone number"), e.getMessage());
    }
}
