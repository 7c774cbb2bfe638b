package dev.parley.infobip.http;

import dev.parley.spi.Attachment;
import dev.parley.spi.MediaStore;
import dev.parley.spi.MediaTooLargeException;
import dev.parley.spi.StoredMedia;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Copies a file a customer sent into Parley's media store at once: Infobip's media URL needs the connection's API key
 * and expires. The key is sent only to the connection's own Infobip host (a link elsewhere is kept, not fetched with
 * it); Infobip may answer 302 to a CDN, which is followed once without the key. A file larger than the store takes is
 * refused from its declared length before it is downloaded. Whatever fails, the provider's link is kept with the
 * reason, and the message goes on.
 */
public final class MediaCopy implements MediaCopier {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern FILE_NAME = Pattern.compile("filename\\*?=(?:UTF-8'[^']*')?\"?([^\";]+)\"?",
            Pattern.CASE_INSENSITIVE);

    private final MediaStore store;
    private final InfobipAccess access;
    private final InfobipClient client;
    private final HttpClient http;

    public MediaCopy(MediaStore store, InfobipAccess access, InfobipClient client) {
        this.store = store;
        this.access = access;
        this.client = client;
        // Redirects by hand: the JDK would repeat the Authorization header to the CDN's host.
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public Attachment copy(String kind, String url, String caption) {
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            return failed(kind, null, caption, "the media link is not a URL");
        }
        try {
            Optional<StoredMedia> earlier = store.find(url);
            if (earlier.isPresent()) {
                return copied(kind, uri, caption, earlier.get()); // a repeated delivery: copied before
            }
            if (!onOwnHost(uri)) {
                return failed(kind, uri, caption, "the media link is not on this connection's Infobip host "
                        + access.host() + ", so Parley does not send it the API key");
            }
            HttpResponse<InputStream> r = get(uri, true);
            if (r.statusCode() / 100 == 3) {
                Optional<String> location = r.headers().firstValue("Location");
                r.body().close();
                if (location.isEmpty()) return failed(kind, uri, caption, "Infobip redirected without a location");
                URI cdn = uri.resolve(location.get());
                r = get(cdn, sameOrigin(cdn)); // the key only to Infobip's own host
            }
            try (InputStream body = r.body()) {
                if (r.statusCode() == 404) {
                    return failed(kind, uri, caption, "Infobip no longer has the file (404: media not found or expired)");
                }
                if (r.statusCode() / 100 != 2) {
                    return failed(kind, uri, caption, "downloading it answered HTTP " + r.statusCode());
                }
                long declared = r.headers().firstValueAsLong("Content-Length").orElse(-1);
                if (declared > store.maxBytes()) {
                    return failed(kind, uri, caption, "it has " + declared + " bytes, more than parley.media.max-bytes ("
                            + store.maxBytes() + ")");
                }
                String type = r.headers().firstValue("Content-Type").orElse(null);
                String name = r.headers().firstValue("Content-Disposition").map(MediaCopy::fileName).orElse(null);
                return copied(kind, uri, caption, store.put(url, type, name, body));
            }
        } catch (MediaTooLargeException e) {
            return failed(kind, uri, caption, e.getMessage());
        } catch (IOException e) {
            return failed(kind, uri, caption, client.redact("downloading it failed: " + InfobipClient.describe(e)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(kind, uri, caption, "interrupted while downloading it");
        } catch (RuntimeException e) {
            // the store unavailable or refusing (no media store, empty file): keep the link, say why
            return failed(kind, uri, caption, client.redact(e.getMessage() == null ? InfobipClient.describe(e) : e.getMessage()));
        }
    }

    private HttpResponse<InputStream> get(URI uri, boolean withKey) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET();
        if (withKey) b.header("Authorization", "App " + access.apiKey());
        return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    /** The connection's Infobip host (same scheme, host and port, under its base path): the only place the key goes. */
    boolean onOwnHost(URI uri) {
        URI base = access.baseUri();
        String basePath = base.getPath() == null ? "" : base.getPath();
        return sameOrigin(uri) && (uri.getPath() != null && uri.getPath().startsWith(basePath));
    }

    private boolean sameOrigin(URI uri) {
        URI base = access.baseUri();
        return uri.getScheme() != null && uri.getScheme().equalsIgnoreCase(base.getScheme())
                && uri.getHost() != null && uri.getHost().equalsIgnoreCase(base.getHost()) && port(uri) == port(base);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    static String fileName(String contentDisposition) {
        Matcher m = FILE_NAME.matcher(contentDisposition);
        return m.find() ? java.net.URLDecoder.decode(m.group(1).strip(), java.nio.charset.StandardCharsets.UTF_8) : null;
    }

    private static Attachment copied(String kind, URI uri, String caption, StoredMedia m) {
        return new Attachment(kind, m.id(), uri, m.contentType(), m.fileName(), m.sizeBytes(), caption, null);
    }

    private static Attachment failed(String kind, URI uri, String caption, String why) {
        return new Attachment(kind, null, uri, null, null, null, caption, why);
    }
}
