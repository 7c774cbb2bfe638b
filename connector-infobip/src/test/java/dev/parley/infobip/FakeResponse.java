package dev.parley.infobip;

import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.GenericType;
import jakarta.ws.rs.core.Link;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import java.lang.annotation.Annotation;
import java.net.URI;
import java.util.Date;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** A canned JAX-RS Response (no JAX-RS runtime needed): status, body and headers. */
public class FakeResponse extends Response {

    private final int status;
    private final String body;
    private final Map<String, String> headers = new HashMap<>();
    public boolean closed;

    public FakeResponse(int status, String body) {
        this.status = status;
        this.body = body;
    }

    public FakeResponse header(String name, String value) {
        headers.put(name.toLowerCase(Locale.ROOT), value);
        return this;
    }

    @Override public int getStatus() { return status; }
    @Override public StatusType getStatusInfo() { return Status.fromStatusCode(status); }
    @Override public Object getEntity() { return body; }
    @Override public <T> T readEntity(Class<T> type) { return type.cast(body); }
    @Override public <T> T readEntity(GenericType<T> type) { throw new UnsupportedOperationException(); }
    @Override public <T> T readEntity(Class<T> type, Annotation[] a) { return type.cast(body); }
    @Override public <T> T readEntity(GenericType<T> type, Annotation[] a) { throw new UnsupportedOperationException(); }
    @Override public boolean hasEntity() { return body != null && !body.isEmpty(); }
    @Override public boolean bufferEntity() { return true; }
    @Override public void close() { closed = true; }
    @Override public MediaType getMediaType() { return null; }
    @Override public Locale getLanguage() { return null; }
    @Override public int getLength() { return body == null ? -1 : body.length(); }
    @Override public Set<String> getAllowedMethods() { return Set.of(); }
    @Override public Map<String, NewCookie> getCookies() { return Map.of(); }
    @Override public EntityTag getEntityTag() { return null; }
    @Override public Date getDate() { return null; }
    @Override public Date getLastModified() { return null; }
    @Override public URI getLocation() { return null; }
    @Override public Set<Link> getLinks() { return Set.of(); }
    @Override public boolean hasLink(String relation) { return false; }
    @Override public Link getLink(String relation) { return null; }
    @Override public Link.Builder getLinkBuilder(String relation) { return null; }
    @Override public MultivaluedMap<String, Object> getMetadata() { throw new UnsupportedOperationException(); }
    @Override public MultivaluedMap<String, String> getStringHeaders() { throw new UnsupportedOperationException(); }
    @Override public String getHeaderString(String name) { return headers.get(name.toLowerCase(Locale.ROOT)); }
}
