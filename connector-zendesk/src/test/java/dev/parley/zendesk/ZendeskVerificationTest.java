package dev.parley.zendesk;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.parley.spi.PermanentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZendeskVerificationTest {

    @RegisterExtension
    static final WireMockExtension zendesk = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private ZendeskVerification verification() {
        DeskTestContext ctx = DeskTestContext.against(zendesk.baseUrl());
        ZendeskSettings s = ctx.zendeskSettings();
        return new ZendeskVerification(ctx.client(s), s);
    }

    private void me(int status, String contentType, String body) {
        zendesk.stubFor(get(urlEqualTo("/api/v2/users/me")).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", contentType).withBody(body)));
    }

    private String refused() {
        PermanentException e = assertThrows(PermanentException.class, () -> verification().verify());
        assertFalse(e.getMessage().contains(DeskTestContext.TOKEN), e.getMessage());
        return e.getMessage();
    }

    @Test
    void anAdminIsAcceptedAndRemembered() {
        me(200, "application/json", "{\"user\":{\"id\":123,\"name\":\"Parley Bot\",\"email\":\"bot@acme.com\","
                + "\"role\":\"admin\",\"restricted_agent\":false}}");
        ZendeskVerification v = verification();
        assertEquals("Zendesk acme: signed in as bot@acme.com (admin, user 123)", v.verify());
        assertEquals(123L, v.userId());
        zendesk.verify(getRequestedFor(urlEqualTo("/api/v2/users/me"))
                .withHeader("Authorization", equalTo(DeskTestContext.basicAuth())));
    }

    @Test
    void wrongCredentialsNameTheFix() {
        me(401, "application/json", "{\"error\":\"Couldn't authenticate you\"}");
        String m = refused();
        assertTrue(m.contains("'email' and 'api-token'"), m);
        assertTrue(m.contains("token access is on"), m);
    }

    @Test
    void anHtmlPageOrRedirectMeansTheSubdomainIsWrong() {
        me(404, "text/html", "<html><body>Help Center Closed</body></html>");
        String m = refused();
        assertTrue(m.startsWith("no Zendesk account at localhost: check 'subdomain' (just 'acme'"), m);

        me(200, "text/html", "<html>Oops</html>");
        assertTrue(refused().startsWith("no Zendesk account at localhost"));

        zendesk.stubFor(get(urlEqualTo("/api/v2/users/me")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", "https://www.zendesk.com/login")));
        assertTrue(refused().startsWith("no Zendesk account at localhost"));
    }

    @Test
    void anAnonymousAnswerIsRefused() {
        me(200, "application/json", "{\"user\":{\"id\":null,\"name\":\"Anonymous user\",\"email\":\"invalid@example.com\","
                + "\"role\":\"end-user\"}}");
        String m = refused();
        assertTrue(m.startsWith("Zendesk answered as an anonymous user: the email/token pair was not accepted"), m);
        assertTrue(m.contains("token access is on"), m);

        me(200, "application/json", "{\"user\":{\"id\":5,\"name\":\"Someone\",\"email\":\"other@x.com\",\"role\":\"end-user\"}}");
        assertTrue(refused().startsWith("Zendesk answered as an anonymous user"));
    }

    @Test
    void anEndUserOrRestrictedAgentIsRefusedWithTheFix() {
        me(200, "application/json", "{\"user\":{\"id\":7,\"email\":\"bot@acme.com\",\"role\":\"end-user\"}}");
        String m = refused();
        assertTrue(m.contains("is an end user: use an admin, or an agent whose role may manage end users and create tickets"), m);

        me(200, "application/json", "{\"user\":{\"id\":7,\"email\":\"bot@acme.com\",\"role\":\"agent\",\"restricted_agent\":true}}");
        m = refused();
        assertTrue(m.contains("restricted agent: use an admin"), m);
    }

    @Test
    void forbiddenIsMappedWithTheFix() {
        me(403, "application/json", "{\"error\":\"Forbidden\"}");
        assertTrue(refused().contains("use an admin"));
    }
}
