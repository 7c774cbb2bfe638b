package dev.parley.spi.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.spi.ConnectionContext;
import dev.parley.spi.MediaStore;
import dev.parley.spi.MediaTooLargeException;
import dev.parley.spi.PermanentException;
import dev.parley.spi.RetryableException;
import dev.parley.spi.StoredMedia;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class InMemoryMediaStoreTest {

    @Test
    void oneCopyPerKeyWithinTheCap() {
        InMemoryMediaStore media = new InMemoryMediaStore(10);
        StoredMedia m = media.put("k", "image/png", "a.png", new ByteArrayInputStream(new byte[10]));
        assertEquals(m, media.put("k", "image/png", "a.png", new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("read twice");
            }
        }));
        assertArrayEquals(new byte[10], media.content(m.id()).orElseThrow());
        assertThrows(MediaTooLargeException.class, () -> media.put("big", null, null, new ByteArrayInputStream(new byte[11])));
        assertThrows(PermanentException.class, () -> media.put("empty", null, null, new ByteArrayInputStream(new byte[0])));
        media.failNextPut();
        assertThrows(RetryableException.class, () -> media.put("later", null, null, new ByteArrayInputStream(new byte[1])));
        assertEquals(1, media.stored().size());
        assertTrue(media.link(m.id()).toString().startsWith("https://parley.test/media/" + m.id() + "?expires="));
    }

    @Test
    void aContextWithoutAStoreLendsUnavailable() {
        ConnectionContext bare = (ConnectionContext) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ConnectionContext.class}, (proxy, method, args) -> method.isDefault()
                        ? java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args) : null);
        assertEquals(MediaStore.UNAVAILABLE, bare.media());
        assertTrue(bare.media().find("k").isEmpty());
        assertEquals(0, bare.media().maxBytes());
        assertThrows(PermanentException.class, () -> bare.media().put("k", null, null, new ByteArrayInputStream(new byte[1])));
        assertThrows(PermanentException.class, () -> bare.media().link("id"));
    }
}
