package dev.parley.zendesk.helpcenter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.parley.spi.Article;
import dev.parley.spi.KnowledgeSource;
import dev.parley.spi.PermanentException;
import dev.parley.zendesk.ZendeskSettings;
import dev.parley.zendesk.http.RateLimiter;
import dev.parley.zendesk.http.ZendeskApi;
import dev.parley.zendesk.http.ZendeskClient;
import dev.parley.zendesk.messaging.MessagingTestContext;
import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HelpCenterSourceTest {

    @RegisterExtension
    static final WireMockExtension zendesk = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String AUTH = "Basic " + java.util.Base64.getEncoder()
            .encodeToString("bot@acme.com/token:zd-token-SECRET-123".getBytes());

    private HelpCenterSource source() {
        MessagingTestContext ctx = MessagingTestContext.zendesk(zendesk.baseUrl());
        ZendeskSettings settings = ZendeskSettings.from(ctx);
        ZendeskApi api = ctx.restClients().create(ZendeskApi.class, URI.create(zendesk.baseUrl()));
        ZendeskClient client = new ZendeskClient(api, settings.authorization(),
                new RateLimiter(100, Duration.ofMinutes(1)), 0, d -> { }, ctx.clock());
        return new HelpCenterSource(client, settings, ctx);
    }

    private void page(long start, String body) {
        zendesk.stubFor(get(urlEqualTo("/api/v2/help_center/incremental/articles?start_time=" + start))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body)));
    }

    @Test
    void firstSyncStartsAtZeroAndMapsArticles() {
        page(0, """
                {"articles":[{"id":360001,"title":"Returns &amp; refunds","locale":"en-us",
                  "body":"<h1>Returns</h1><p>Send it back within <b>30&nbsp;days</b>.</p><ul><li>Keep the receipt</li><li>Use the label</li></ul>",
                  "html_url":"https://acme.zendesk.com/hc/en-us/articles/360001","draft":false,"user_segment_id":null,
                  "updated_at":"2026-01-01T09:00:00Z"}],
                 "next_page":"https://acme.zendesk.com/api/v2/help_center/incremental/articles?start_time=1767258000",
                 "end_time":1767258000,"count":1}
                """);
        KnowledgeSource.Page p = source().changedSince(null);

        zendesk.verify(getRequestedFor(urlPathEqualTo("/api/v2/help_center/incremental/articles"))
                .withQueryParam("start_time", equalTo("0")).withHeader("Authorization", equalTo(AUTH)));
        assertEquals(1, p.articles().size());
        Article a = p.articles().get(0);
        assertEquals("360001", a.id());
        assertEquals("en-us", a.locale());
        assertEquals("Returns & refunds", a.title());
        assertEquals("Returns\nSend it back within 30 days.\nKeep the receipt\nUse the label", a.body());
        assertEquals("https://acme.zendesk.com/hc/en-us/articles/360001", a.url());
        assertTrue(a.answerable());
        assertEquals(OffsetDateTime.parse("2026-01-01T09:00:00Z"), a.updatedAt());
        assertEquals("1767258000", p.nextCursor());
        assertTrue(p.more());
    }

    @Test
    void incrementalSyncUsesTheStoredCursorAndStopsWithoutNextPage() {
        page(1767258000L, """
                {"articles":[],"next_page":null,"end_time":1767261600,"count":0}
                """);
        KnowledgeSource.Page p = source().changedSince("1767258000");
        zendesk.verify(1, getRequestedFor(urlEqualTo("/api/v2/help_center/incremental/articles?start_time=1767258000")));
        assertTrue(p.articles().isEmpty());
        assertEquals("1767261600", p.nextCursor());
        assertFalse(p.more());
    }

    @Test
    void aPageWhoseEndTimeDoesNotMoveIsTheLastOne() {
        page(500, """
                {"articles":[{"id":1,"title":"A","body":"x","draft":false,"user_segment_id":null}],
                 "next_page":"https://acme.zendesk.com/next","end_time":500,"count":1}
                """);
        KnowledgeSource.Page p = source().changedSince("500");
        assertFalse(p.more(), "same end_time again would loop forever");
        assertEquals("500", p.nextCursor());
    }

    @Test
    void draftsAndRestrictedArticlesAreNotAnswerable() {
        page(0, """
                {"articles":[
                  {"id":1,"title":"Draft","body":"<p>wip</p>","locale":"en-us","draft":true,"user_segment_id":null},
                  {"id":2,"title":"Agents only","body":"<p>internal</p>","locale":"en-us","draft":false,"user_segment_id":7001},
                  {"id":3,"title":"Public","body":"<p>ok</p>","locale":"de","draft":false},
                  {"title":"no id is skipped"}],
                 "next_page":null,"end_time":10,"count":4}
                """);
        KnowledgeSource.Page p = source().changedSince(null);
        assertEquals(3, p.articles().size());
        assertFalse(p.articles().get(0).answerable());
        assertFalse(p.articles().get(1).answerable());
        assertTrue(p.articles().get(2).answerable());
        assertEquals("de", p.articles().get(2).locale());
    }

    @Test
    void entitiesAreDecodedAfterTagsAreGone() {
        assertEquals("if a < b & c > d then \"ok\" \u2014 caf\u00e9 \u20ac5 \uD83D\uDE00",
                HtmlText.of("if a &lt; b &amp; c &gt; d then &quot;ok&quot; &mdash; caf&eacute; &#8364;5 &#x1F600;"));
        assertEquals("<b>literal</b>", HtmlText.of("&lt;b&gt;literal&lt;/b&gt;"));
        assertEquals("&unknown; & stays", HtmlText.of("&unknown; &amp; stays"));
    }

    @Test
    void tagsScriptsCommentsAndAttributesAreStripped() {
        assertEquals("Hello world\nNext\nline\nA | B",
                HtmlText.of("<div class=\"x\" title='a > b'>Hello   <span>world</span></div><!-- <p>hidden</p> -->"
                        + "<script>var x = '<p>';</script><style>p{}</style>Next<br/>line<table><tr><td>A |</td><td>B</td></tr></table>"));
        assertEquals("", HtmlText.of(null));
        assertEquals("1 < 2", HtmlText.of("1 < 2"));
    }

    @Test
    void refusedCredentialsNameTheFixWithoutTheToken() {
        zendesk.stubFor(get(urlPathEqualTo("/api/v2/help_center/incremental/articles"))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"Couldn't authenticate you\"}")));
        PermanentException e = assertThrows(PermanentException.class, () -> source().changedSince("5"));
        assertTrue(e.getMessage().contains("api-token"), e.getMessage());
        assertFalse(e.getMessage().contains("SECRET"));
    }
}
