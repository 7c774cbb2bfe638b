package dev.parley.infobip.whatsapp;

import dev.parley.infobip.http.MediaCopy;

import com.sun.net.httpserver.HttpServer;
import dev.parley.infobip.FakeContext;
import dev.parley.infobip.http.InfobipAccess;
import dev.parley.infobip.http.InfobipClient;
import dev.parley.infobip.sandbox.WhatsAppSandbox;
import dev.parley.spi.Attachment;
import dev.parley.spi.SandboxApi.SandboxResponse;
import dev.parley.spi.testing.InMemoryMediaStore;
import dev.parley.spi.util.Jsons;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connection's media copy against the WhatsApp sandbox over real HTTP: the media URL with the key, Infobip's 302 to
 * the CDN link, the bytes. The server here hands calls to the sandbox as the runtime's /sandbox resource does (raw
 * bytes when the sandbox answers bytes); the runtime itself is not in this module.
 */
class SandboxMediaCopyTest {

    private final FakeContext ctx = new FakeContext();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private WhatsAppSandbox sandbox;

    private void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ctx.publicUrl = "http://127.0.0.1:" + server.getAddress().getPort();
        sandbox = new WhatsAppSandbox(ctx, "test-key", "447796344125", URI.create(ctx.publicUrl + "/channel/sms1/webhook/whatsapp"),
                "infobip", null);
        String prefix = "/sandbox/sms1";
        server.createContext(prefix, exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getRawPath().substring(prefix.length());
            seen.add(exchange.getRequestMethod() + " " + path + " key=" + exchange.getRequestHeaders().containsKey("Authorization"));
            SandboxResponse r = sandbox.handle(exchange.getRequestMethod(), path, exchange.getRequestHeaders(), body);
            r.headers().forEach((k, v) -> {
                if (!k.equalsIgnoreCase("Content-Length")) exchange.getResponseHeaders().add(k, v);
            });
            byte[] out = r.bytes() != null ? r.bytes() : r.json().getBytes(StandardCharsets.UTF_8);
            if (r.bytes() == null) exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(r.status(), out.length == 0 ? -1 : out.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(out);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        if (sandbox != null) sandbox.close();
        if (server != null) server.stop(0);
        ctx.shutdown();
    }

    @Test
    void theConnectionsMediaCopyFetchesACustomersImageThroughTheRedirect() throws Exception {
        start();
        // The customer's image, posted to Parley: here only its payload is wanted, so no webhook server answers.
        SandboxResponse posted = sandbox.handle("POST", "/customer/41793026727/image",
                Map.of("Authorization", List.of("App test-key")), "{\"caption\":\"the part\"}".getBytes(StandardCharsets.UTF_8));
        String url = Jsons.parse(posted.json()).asJsonObject().getString("url");

        InfobipAccess access = new InfobipAccess("test-key", ctx.sandboxUrl(), true);
        InMemoryMediaStore store = new InMemoryMediaStore();
        MediaCopy copy = new MediaCopy(store, access, InfobipClient.of(ctx, access));
        Attachment a = copy.copy("IMAGE", url, "the part");

        assertNull(a.copyFailure(), a.copyFailure());
        assertEquals("image/png", a.contentType());
        assertEquals("sandbox-image.png", a.fileName(), "from the CDN's Content-Disposition");
        byte[] png = store.content(a.mediaId()).orElseThrow();
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));
        assertEquals((long) png.length, a.sizeBytes());
        assertEquals(2, seen.size(), seen.toString());
        assertTrue(seen.get(0).startsWith("GET /whatsapp/1/senders/447796344125/media/") && seen.get(0).endsWith("key=true"), seen.toString());
        assertTrue(seen.get(1).startsWith("GET /cdn/"), seen.toString());

        // Ten minutes on, Infobip no longer has it: the link is kept with the reason.
        ctx.now = FakeContext.NOW.plus(WhatsAppSandbox.MEDIA_TTL);
        Attachment late = new MediaCopy(new InMemoryMediaStore(), access, InfobipClient.of(ctx, access)).copy("IMAGE", url, null);
        assertTrue(late.copyFailure().contains("404"), late.copyFailure());
    }
}
