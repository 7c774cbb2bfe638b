package dev.parley.runtime.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;

class RequestBodyLimitTest {

    @Test
    void aBodyUpToTheCapIsReadWholeAndOneByteMoreIs413() throws Exception {
        byte[] body = new byte[1000];
        assertArrayEquals(body, new RequestBodyLimit.Bounded(new ByteArrayInputStream(body), 1000).readAllBytes());
        RequestBodyLimit.TooLarge e = assertThrows(RequestBodyLimit.TooLarge.class,
                () -> new RequestBodyLimit.Bounded(new ByteArrayInputStream(new byte[1001]), 1000).readAllBytes());
        assertEquals(413, e.getResponse().getStatus());
        assertEquals("close", e.getResponse().getHeaderString("Connection"));
    }
}
