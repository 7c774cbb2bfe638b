package dev.parley.hubspot;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.parley.spi.PermanentException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HubSpotVerificationTest {

    @RegisterExtension
    static final WireMockExtension hubspot = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String PIPELINES = """
            {"results":[
              {"id":"0","label":"Support Pipeline","archived":false,"stages":[
                {"id":"1","label":"New","metadata":{"ticketState":"OPEN"}},
                {"id":"2","label":"Waiting on us","metadata":{"ticketState":"OPEN"}},
                {"id":"4","label":"Closed","metadata":{"ticketState":"CLOSED"}}]},
              {"id":"77","label":"VIP","stages":[{"id":"771","label":"Incoming","metadata":{"ticketState":"OPEN"}}]}]}""";
    static final String PROPERTY = "/crm/v3/properties/tickets/parley_session_id";

    private HubSpotTestContext ctx;

    @BeforeEach
    void stubs() {
        ctx = HubSpotTestContext.against(hubspot.baseUrl());
        hubspot.stubFor(get(urlEqualTo("/account-info/v3/details")).willReturn(okJson("{\"portalId\":12345678}")));
        hubspot.stubFor(get(urlEqualTo("/crm/v3/objects/contacts?limit=1")).willReturn(okJson("{\"results\":[]}")));
        hubspot.stubFor(get(urlEqualTo("/crm/v3/objects/tickets?limit=1")).willReturn(okJson("{\"results\":[]}")));
        hubspot.stubFor(get(urlEqualTo("/crm/v3/pipelines/tickets")).willReturn(okJson(PIPELINES)));
        hubspot.stubFor(get(urlEqualTo(PROPERTY)).willReturn(okJson(
                "{\"name\":\"parley_session_id\",\"type\":\"string\",\"hasUniqueValue\":true}")));
    }

    @Test
    void verifyResolvesLabelsAndChecksEverything() {
        ctx.with("pipeline", "vip").with("stage", "Incoming");

        String line = ctx.connection().verify();

        assertEquals("HubSpot portal 12345678: contacts and tickets readable; pipeline 'VIP' (77), open stage "
                + "'Incoming' (771); ticket property parley_session_id (unique)", line);
        List<String> urls = hubspot.findAll(anyRequestedFor(anyUrl())).stream().map(LoggedRequest::getUrl).toList();
        assertEquals(List.of("/account-info/v3/details", "/crm/v3/objects/contacts?limit=1",
                "/crm/v3/objects/tickets?limit=1", "/crm/v3/pipelines/tickets", PROPERTY), urls);
        for (LoggedRequest r : hubspot.findAll(anyRequestedFor(anyUrl()))) {
            assertEquals("Bearer " + HubSpotTestContext.TOKEN, r.getHeader("Authorization"));
        }
        assertEquals("12345678", ctx.stored.get("portal-id"));
    }

    @Test
    void missingPropertyIsCreatedUnique() {
        hubspot.stubFor(get(urlEqualTo(PROPERTY)).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{\"category\":\"OBJECT_NOT_FOUND\"}")));
        hubspot.stubFor(post(urlEqualTo("/crm/v3/properties/tickets")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"name\":\"parley_session_id\"}")));

        String line = ctx.connection().verify();

        assertTrue(line.endsWith("ticket property parley_session_id (created)"), line);
        hubspot.verify(postRequestedFor(urlEqualTo("/crm/v3/properties/tickets")).withRequestBody(equalToJson(
                "{\"name\":\"parley_session_id\",\"label\":\"Parley session id\",\"type\":\"string\",\"fieldType\":\"text\","
                        + "\"groupName\":\"ticketinformation\",\"hasUniqueValue\":true,"
                        + "\"description\":\"Parley's session id: Parley opens one ticket per session\"}")));
    }

    @Test
    void missingPropertyWithoutCreateSaysHowToCreateIt() {
        ctx.with("create-property", "false");
        hubspot.stubFor(get(urlEqualTo(PROPERTY)).willReturn(aResponse().withStatus(404)));

        PermanentException e = assertThrows(PermanentException.class, () -> ctx.connection().verify());

        assertTrue(e.getMessage().contains("create it in HubSpot > Settings > Properties"), e.getMessage());
        hubspot.verify(0, postRequestedFor(urlEqualTo("/crm/v3/properties/tickets")));
    }

    @Test
    void propertyWithoutUniqueValuesIsRefused() {
        hubspot.stubFor(get(urlEqualTo(PROPERTY)).willReturn(okJson("{\"name\":\"parley_session_id\",\"hasUniqueValue\":false}")));

        PermanentException e = assertThrows(PermanentException.class, () -> ctx.connection().verify());

        assertTrue(e.getMessage().contains("does not require unique values"), e.getMessage());
    }

    @Test
    void invalidTokenSaysWhereToGetOne() {
        hubspot.stubFor(get(urlEqualTo("/account-info/v3/details")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json").withBody("{\"status\":\"error\",\"message\":\"Authentication "
                        + "credentials not found. This API supports OAuth 2.0 authentication\",\"category\":\"INVALID_AUTHENTICATION\"}")));

        PermanentException e = assertThrows(PermanentException.class, () -> ctx.connection().verify());

        assertTrue(e.getMessage().contains("the token is not valid: create or copy the private app's access token in "
                + "HubSpot > Settings > Integrations > Private Apps"), e.getMessage());
        assertTrue(e.getMessage().contains("HubSpot: Authentication credentials not found"), e.getMessage());
        assertFalse(e.getMessage().contains(HubSpotTestContext.TOKEN));
        assertEquals(1, hubspot.findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void missingScopeIsNamedWithTheFix() {
        hubspot.stubFor(get(urlEqualTo("/crm/v3/objects/tickets?limit=1")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json").withBody("{\"status\":\"error\",\"message\":\"This app "
                        + "hasn't been granted all required scopes to make this call.\",\"category\":\"MISSING_SCOPES\","
                        + "\"context\":{\"requiredGranularScopes\":[\"tickets\"]}}")));

        PermanentException e = assertThrows(PermanentException.class, () -> ctx.connection().verify());

        assertTrue(e.getMessage().startsWith("read HubSpot tickets: the private app lacks the scope tickets (403 "
                + "MISSING_SCOPES): add it in HubSpot > Settings > Integrations > Private Apps"), e.getMessage());
    }

    @Test
    void missingScopeWithoutContextNamesTheExpectedOne() {
        hubspot.stubFor(get(urlEqualTo("/crm/v3/objects/contacts?limit=1")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json").withBody("{\"category\":\"MISSING_SCOPES\"}")));

        PermanentException e = assertThrows(PermanentException.class, () -> ctx.connection().verify());

        assertTrue(e.getMessage().contains("lacks the scope crm.objects.contacts.read"), e.getMessage());
    }

    @Test
    void unknownPipelineNamesThoseThatExist() {
        ctx.with("pipeline", "Sales");

        PermanentException e = assertThrows(PermanentException.class, () -> ctx.connection().verify());

        assertEquals("setting 'pipeline': HubSpot has no ticket pipeline 'Sales'; it has 'Support Pipeline' (id 0), "
                + "'VIP' (id 77)", e.getMessage());
    }

    @Test
    void unknownStageNamesThoseThatExist() {
        ctx.with("stage", "Triage");

        PermanentException e = assertThrows(PermanentException.class, () -> ctx.connection().verify());

        assertEquals("setting 'stage': pipeline Support Pipeline (0) has no stage 'Triage'; it has 'New' (id 1), "
                + "'Waiting on us' (id 2), 'Closed' (id 4)", e.getMessage());
    }

    @Test
    void closedStageIsRefused() {
        ctx.with("stage", "closed");

        PermanentException e = assertThrows(PermanentException.class, () -> ctx.connection().verify());

        assertEquals("setting 'stage': stage Closed (4) of pipeline Support Pipeline (0) is not an open stage (CLOSED); "
                + "open stages: 'New' (id 1), 'Waiting on us' (id 2)", e.getMessage());
    }

    @Test
    void diagnoseFindsAClosedStageAndCreatesNothing() {
        ctx.with("stage", "closed");

        List<dev.parley.spi.Finding> findings = ctx.connection().diagnose();

        assertEquals(List.of("hubspot.token", "hubspot.pipeline"), findings.stream().map(dev.parley.spi.Finding::check).toList());
        assertEquals(dev.parley.spi.Finding.Severity.OK, findings.get(0).severity());
        assertEquals(dev.parley.spi.Finding.Severity.ERROR, findings.get(1).severity());
        assertTrue(findings.get(1).cause().contains("is not an open stage (CLOSED)"), findings.get(1).cause());
        assertTrue(hubspot.findAll(anyRequestedFor(anyUrl())).stream().allMatch(r -> r.getMethod().getName().equals("GET")),
                "read-only");
    }

    @Test
    void diagnoseReportsAMissingScopeInsteadOfThrowing() {
        hubspot.stubFor(get(urlEqualTo("/crm/v3/objects/tickets?limit=1")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json").withBody("{\"category\":\"MISSING_SCOPES\","
                        + "\"context\":{\"requiredGranularScopes\":[\"tickets\"]}}")));

        List<dev.parley.spi.Finding> findings = ctx.connection().diagnose();

        assertEquals(1, findings.size());
        assertEquals(dev.parley.spi.Finding.Severity.ERROR, findings.get(0).severity());
        assertTrue(findings.get(0).cause().contains("lacks the scope tickets"), findings.get(0).cause());
        assertFalse(findings.toString().contains(HubSpotTestContext.TOKEN));
    }
}
