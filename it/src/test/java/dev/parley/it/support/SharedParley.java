package dev.parley.it.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.parley.infobip.openapi.InfobipSpecValidator;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ONE Parley (Payara Micro + the real WAR) and ONE WireMock shared by every test class in the surefire JVM:
 * a Micro start costs 15-20 s. Started on first use, stopped when the JUnit root context closes (and by a
 * shutdown hook in any case).
 *
 * <p>Usage, via the extension (which also injects {@link ParleyServer}, {@link WireMockServer} and the
 * admin-authenticated {@link Http} as test/lifecycle method parameters):
 * <pre>
 * &#64;ExtendWith(SharedParleyExtension.class)
 * class SmsInboundIT {
 *     &#64;BeforeEach void stubs() { SharedParley.resetWireMock(); }
 *     &#64;Test void replies(ParleyServer parley, WireMockServer infobip, Http admin) { ... }
 * }
 * </pre>
 * or statically from anywhere: {@link #server()}, {@link #wireMock()}, {@link #admin()}, {@link #anonymous()}.
 *
 * <p><b>The shared server's config is assembled here, in {@link #config(String)}, and only here</b>: every
 * scenario class that needs a connection adds it to that method (distinct connection ids per scenario), and
 * its default provider stubs to {@link #defaultStubs(WireMockServer)}. A test that needs a config of its own
 * starts a private {@code ParleyServer.builder().config(SharedParley.config(url))...} and stops it itself.
 */
public final class SharedParley {

    public static final String ADMIN_USER = "admin";
    public static final String ADMIN_PASSWORD = "it-secret";
    /** PBKDF2 of {@link #ADMIN_PASSWORD} in Jakarta Security's format, made here with the JDK. */
    public static final String ADMIN_PASSWORD_HASH = pbkdf2(ADMIN_PASSWORD);
    /** The key sealing secrets at rest (Base64 of 32 bytes); SecretsLeakIT looks for it in logs too. */
    public static final String SECRETS_KEY = "aXQtc2VjcmV0cy1rZXktMzItYnl0ZXMtbG9uZy0hISE=";
    /** Default patience for {@link Await} in scenario tests (asynchronous bot turns, outbox sends). */
    public static final Duration PATIENCE = Duration.ofSeconds(30);

    private static Handle handle;
    private static RuntimeException startupFailure;

    private SharedParley() {
    }

    /**
     * The shared server's Parley properties. {@code wireMockUrl} (e.g. {@code http://localhost:12345}) is where
     * every provider API is stood in. The harness adds {@code parley.public-url} and the file H2 URL itself.
     */
    /** The WhatsApp business number of the shared server's {@code wa} connection. */
    public static final String WHATSAPP_SENDER = "441134960000";

    public static Map<String, String> config(String wireMockUrl) {
        Map<String, String> c = new LinkedHashMap<>();
        // The admin password as operators should give it: a PBKDF2 hash (the clear one is only in this test).
        c.put("parley.admin.password-hash", ADMIN_PASSWORD_HASH);
        // SecurityIT: the brute-force throttle, counted per X-Forwarded-For client behind a "proxy" on localhost.
        c.put("parley.admin.login-failures.max", "5");
        c.put("parley.admin.login-failures.window-seconds", "60");
        c.put("parley.admin.trusted-proxies", "127.0.0.1");
        c.put("parley.secrets.key", SECRETS_KEY);
        // Short retry timings so retry and give-up scenarios finish in seconds.
        c.put("parley.outbox.backoff-base-ms", "200");
        c.put("parley.outbox.backoff-max-ms", "2000");
        c.put("parley.outbox.max-attempts", "3");
        c.put("parley.sweeper.interval-ms", "500");

        // InfobipSmsIT: the main SMS connection, answered by agent "it".
        infobip(c, "sms", wireMockUrl, "it-infobip-key", "InfoSMS");
        c.put("parley.connection.sms.env.INFOBIP_SHORT_DOMAIN", "sho.rt");
        c.put("parley.agent.it.bot", "embedded");
        c.put("parley.agent.it.inbound", "sms");
        c.put("parley.agent.it.fallback", "Thanks, we got your message.");
        c.put("parley.agent.it.keyword.hours", "We are open 9-17.");
        // WhatsAppIT: an infobip-whatsapp connection on the stand-in, answered by agent "wa".
        c.put("parley.connection.wa.type", "infobip-whatsapp");
        c.put("parley.connection.wa.base-url", wireMockUrl);
        c.put("parley.connection.wa.api-key", "it-infobip-key");
        c.put("parley.connection.wa.sender", WHATSAPP_SENDER);
        c.put("parley.connection.wa.webhook-username", "infobip");
        c.put("parley.connection.wa.webhook-password", "it-hook-secret");
        c.put("parley.agent.wa.bot", "embedded");
        c.put("parley.agent.wa.inbound", "wa");
        c.put("parley.agent.wa.fallback", "Thanks, we got your WhatsApp message.");
        c.put("parley.agent.wa.keyword.hours", "We are open 9-17.");
        c.put("parley.agent.wa.handoff", "desk");
        c.put("parley.agent.wa.keyword.opt_yes", "You chose yes.");
        c.put("parley.agent.wa.keyword.essay", ("Parley answers at length. ").repeat(200).strip());
        // ConversationsIT: the AI as agent "ai-parley" in Infobip Conversations, its own handoff desk; "convu" also
        // answers unassigned conversations, with a handoff queue, and leaves resolved ones open.
        conversations(c, "conv", wireMockUrl, "it-infobip-key");
        conversations(c, "convu", wireMockUrl, "it-infobip-key");
        c.put("parley.connection.convu.handle-unassigned", "true");
        c.put("parley.connection.convu.handoff-queue", "queue-humans");
        c.put("parley.connection.convu.close-when-resolved", "false");
        // "convr": answered by a Rasa bot (WireMock /crasa) that resolves, so the conversation is closed.
        conversations(c, "convr", wireMockUrl, "it-infobip-key");
        c.put("parley.agent.convr.bot", "rasa");
        c.put("parley.agent.convr.rasa.url", wireMockUrl + "/crasa");
        // ConsoleIT: Conversations on the built-in sandbox (AI agent "parley-ai", as in the demo), handing off to itself.
        c.put("parley.connection.ccsb.type", "infobip-conversations");
        c.put("parley.connection.ccsb.base-url", "sandbox");
        c.put("parley.connection.ccsb.api-key", "sandbox-key");
        c.put("parley.connection.ccsb.ai-agent-id", "parley-ai");
        c.put("parley.connection.ccsb.webhook-password", "sandbox-hook");
        c.put("parley.agent.ccsb.bot", "embedded");
        c.put("parley.agent.ccsb.inbound", "ccsb");
        c.put("parley.agent.ccsb.fallback", "Thanks, noted.");
        c.put("parley.agent.ccsb.keyword.hours", "We are open 9-17.");
        c.put("parley.agent.ccsb.handoff", "ccsb");
        // WhatsAppIT: an infobip-whatsapp connection on the built-in WhatsApp sandbox, answered by agent "wasb".
        c.put("parley.connection.wasb.type", "infobip-whatsapp");
        c.put("parley.connection.wasb.base-url", "sandbox");
        c.put("parley.connection.wasb.api-key", "sandbox-key");
        c.put("parley.connection.wasb.sender", "447796344125");
        c.put("parley.connection.wasb.webhook-password", "sandbox-hook");
        c.put("parley.agent.wasb.bot", "embedded");
        c.put("parley.agent.wasb.inbound", "wasb");
        c.put("parley.agent.wasb.fallback", "Thanks, noted.");
        c.put("parley.agent.wasb.keyword.hours", "We are open 9-17.");
        // HubSpotIT: the WhatsApp sandbox's handoffs become tickets in the built-in HubSpot sandbox (labels resolved).
        c.put("parley.agent.wasb.handoff", "hssb");
        c.put("parley.connection.hssb.type", "hubspot");
        c.put("parley.connection.hssb.base-url", "sandbox");
        c.put("parley.connection.hssb.access-token", "hs-sandbox-token");
        c.put("parley.connection.hssb.pipeline", "Support Pipeline");
        c.put("parley.connection.hssb.stage", "New");
        // InfobipSmsIT: a connection no agent answers (outbound only).
        infobip(c, "outonly", wireMockUrl, "it-infobip-key", "Campaigns");

        // ConnectionLifecycleIT: a revoked key, a missing required field, a disabled connection, the sandbox,
        // and a connector that only arrives through --addLibs.
        infobip(c, "badkey", wireMockUrl, "revoked-key", "InfoSMS");
        infobip(c, "nosender", wireMockUrl, "it-infobip-key", null);
        infobip(c, "disabled", wireMockUrl, "it-infobip-key", "InfoSMS");
        c.put("parley.connection.disabled.enabled", "false");
        c.put("parley.connection.echo.type", "it-echo");
        c.put("parley.connection.echo.greeting", "hello from the drop-in jar");
        // MediaIT: the echo connector copies its greeting into the media store through the SPI, twice under one key.
        c.put("parley.connection.mediaecho.type", "it-echo");
        c.put("parley.connection.mediaecho.greeting", "media through the SPI");
        c.put("parley.connection.mediaecho.media-key", "https://provider.example/media/it-1");
        // MediaIT: a media cap below the request body limit (1 MB), so an upload over it reaches the media store's check.
        c.put("parley.media.max-bytes", "100000");

        // SandboxIT: the built-in Infobip stand-in, answered by agent "sandboxbot".
        c.put("parley.connection.sandbox.type", "infobip-sms");
        c.put("parley.connection.sandbox.base-url", "sandbox");
        c.put("parley.connection.sandbox.api-key", "sandbox-key");
        c.put("parley.connection.sandbox.sender", "Parley");
        c.put("parley.connection.sandbox.webhook-password", "sandbox-hook");
        c.put("parley.agent.sandboxbot.inbound", "sandbox");
        c.put("parley.agent.sandboxbot.greeting", "Hi from the sandbox.");
        c.put("parley.agent.sandboxbot.keyword.hours", "We are open 9-17.");

        // ChatbotLifecycleIT: chatbots defined through the admin API on connection "bots", sender 447491163443.
        infobip(c, "bots", wireMockUrl, "it-infobip-key", "447491163443");
        c.put("parley.agent.lifecycle.inbound", "bots");
        c.put("parley.agent.lifecycle.fallback", "No chatbot is active.");
        c.put("parley.agent.lifecycle.handoff", "console");

        // HandoffIT: an embedded agent whose handoffs go to the test desk (it-desk, API stood in by WireMock).
        infobip(c, "care", wireMockUrl, "it-infobip-key", "447491163443");
        c.put("parley.connection.desk.type", "it-desk");
        c.put("parley.connection.desk.base-url", wireMockUrl + "/desk");
        c.put("parley.agent.care.inbound", "care");
        c.put("parley.agent.care.handoff", "desk");
        c.put("parley.agent.care.keyword.hours", "We are open 9-17.");
        c.put("parley.agent.care.fallback", "Care fallback.");
        c.put("parley.agent.care.topic.billing", "escalate");
        // ... outside office hours (open only on a weekday three days from now, so closed today).
        infobip(c, "night", wireMockUrl, "it-infobip-key", "447491163443");
        c.put("parley.agent.night.inbound", "night");
        c.put("parley.agent.night.handoff", "console");
        c.put("parley.agent.night.office-hours", java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(3)
                .getDayOfWeek().getDisplayName(java.time.format.TextStyle.SHORT, java.util.Locale.ENGLISH) + " 09:00-17:00");
        c.put("parley.agent.night.office-hours.zone", "UTC");

        // ExternalBotsIT: Rasa, Botpress and an OpenAI-compatible model, all stood in by WireMock.
        infobip(c, "rasa", wireMockUrl, "it-infobip-key", "447491163443");
        c.put("parley.agent.rasabot.inbound", "rasa");
        c.put("parley.agent.rasabot.bot", "rasa");
        c.put("parley.agent.rasabot.rasa.url", wireMockUrl + "/rasa");
        c.put("parley.agent.rasabot.rasa.timeout-ms", "1500");
        c.put("parley.agent.rasabot.rasa.tracker", "true"); // ExternalBotsIT: the intent comes from the tracker
        c.put("parley.agent.rasabot.handoff", "desk");
        infobip(c, "bp", wireMockUrl, "it-infobip-key", "447491163443");
        c.put("parley.agent.bpbot.inbound", "bp");
        c.put("parley.agent.bpbot.bot", "botpress");
        c.put("parley.agent.bpbot.botpress.url", wireMockUrl + "/botpress");
        c.put("parley.agent.bpbot.botpress.bot-id", "acme");
        c.put("parley.agent.bpbot.handoff", "desk");
        c.put("parley.agent.bpbot.topic.refund", "escalate");
        infobip(c, "llm", wireMockUrl, "it-infobip-key", "447491163443");
        c.put("parley.agent.llmbot.inbound", "llm");
        c.put("parley.agent.llmbot.bot", "llm");
        c.put("parley.agent.llmbot.llm.url", wireMockUrl + "/llm/v1");
        c.put("parley.agent.llmbot.llm.model", "gpt-it");
        c.put("parley.agent.llmbot.llm.api-key", "sk-it-very-secret");
        c.put("parley.agent.llmbot.handoff", "desk");

        // BotResolveIT: a channel that keeps conversations of its own at the provider (it-channel, a ConversationCloser
        // whose API WireMock stands in at /chan), answered by a Rasa bot (/rrasa) that resolves; handoffs go to the
        // test desk. And an SMS connection (no provider-side conversations) answered by the same Rasa.
        c.put("parley.connection.closer.type", "it-channel");
        c.put("parley.connection.closer.base-url", wireMockUrl + "/chan");
        c.put("parley.agent.resolver.inbound", "closer");
        c.put("parley.agent.resolver.bot", "rasa");
        c.put("parley.agent.resolver.rasa.url", wireMockUrl + "/rrasa");
        c.put("parley.agent.resolver.handoff", "desk");
        infobip(c, "rsms", wireMockUrl, "it-infobip-key", "447491163443");
        c.put("parley.agent.smsresolver.inbound", "rsms");
        c.put("parley.agent.smsresolver.bot", "rasa");
        c.put("parley.agent.smsresolver.rasa.url", wireMockUrl + "/rrasa");

        // Test sender: a sandbox bot that answers only the verified test number.
        c.put("parley.connection.testsender.type", "infobip-sms");
        c.put("parley.connection.testsender.base-url", "sandbox");
        c.put("parley.connection.testsender.api-key", "sandbox-key");
        c.put("parley.connection.testsender.sender", "Parley");
        c.put("parley.connection.testsender.webhook-password", "sandbox-hook");
        c.put("parley.agent.tester.inbound", "testsender");
        c.put("parley.agent.tester.test-number", "+447000000001");
        c.put("parley.agent.tester.fallback", "Hello tester.");

        // ZendeskIT: SMS customers answered by a Rasa bot (WireMock /zrasa) that hands off to Zendesk (WireMock /zd).
        infobip(c, "zsms", wireMockUrl, "it-infobip-key", "447491163443");
        c.put("parley.agent.zagent.inbound", "zsms");
        c.put("parley.agent.zagent.bot", "rasa");
        c.put("parley.agent.zagent.rasa.url", wireMockUrl + "/zrasa");
        c.put("parley.agent.zagent.handoff", "zdesk");
        zendesk(c, "zdesk", wireMockUrl + "/zd");
        c.put("parley.connection.zdesk.custom-fields", "order_number=360001,product=360002");
        c.put("parley.connection.zdesk.installation", "itmain");
        // ... the documented test vector is signed for 2026-01-01: a replay window that still accepts it.
        zendesk(c, "zvector", wireMockUrl + "/zd");
        c.put("parley.connection.zvector.webhook-secret", ZENDESK_TEST_SECRET);
        c.put("parley.connection.zvector.replay-window-seconds", "100000000");
        c.put("parley.connection.zvector.knowledge", "false");
        // ... a tiny rate limit: 3 requests per 2 s.
        zendesk(c, "zburst", wireMockUrl + "/zd");
        c.put("parley.connection.zburst.rate-limit", "3");
        c.put("parley.connection.zburst.rate-window-seconds", "2");
        c.put("parley.connection.zburst.knowledge", "false");
        // ... registration of the webhook and triggers (with assist's trigger).
        zendesk(c, "zsetup", wireMockUrl + "/zd");
        c.put("parley.connection.zsetup.installation", "itsetup");
        c.put("parley.connection.zsetup.assist", "true");
        c.put("parley.connection.zsetup.knowledge", "false");
        // ... assist mode, suggestions by a Botpress bot (WireMock /zbp).
        zendesk(c, "zassist", wireMockUrl + "/zd");
        c.put("parley.connection.zassist.assist", "true");
        c.put("parley.connection.zassist.assist-skip-topics", "billing, legal");
        c.put("parley.connection.zassist.knowledge", "false");
        c.put("parley.agent.zhelper.bot", "botpress");
        c.put("parley.agent.zhelper.botpress.url", wireMockUrl + "/zbp");
        c.put("parley.agent.zhelper.botpress.bot-id", "acme");
        c.put("parley.agent.zhelper.assist", "zassist");
        // ... messaging handoff through Sunshine Conversations (WireMock /zsc) for the Rasa agent "zmagent".
        infobip(c, "zmsms", wireMockUrl, "it-infobip-key", "447491163443");
        c.put("parley.agent.zmagent.inbound", "zmsms");
        c.put("parley.agent.zmagent.bot", "rasa");
        c.put("parley.agent.zmagent.rasa.url", wireMockUrl + "/zrasa");
        c.put("parley.agent.zmagent.handoff", "zmsg");
        zendesk(c, "zmsg", wireMockUrl + "/zd");
        c.put("parley.connection.zmsg.type", "zendesk-messaging");
        c.put("parley.connection.zmsg.knowledge", "false");
        c.put("parley.connection.zmsg.app-id", "app-it-1");
        c.put("parley.connection.zmsg.key-id", "app_it_key");
        c.put("parley.connection.zmsg.key-secret", "sc-it-key-secret");
        c.put("parley.connection.zmsg.messaging-webhook-secret", "sc-it-hook-secret");
        c.put("parley.connection.zmsg.messaging-base-url", wireMockUrl + "/zsc");
        // ... a messaging connection whose Zendesk has no agent workspace in the switchboard: tickets instead.
        infobip(c, "zm2sms", wireMockUrl, "it-infobip-key", "447491163443");
        c.put("parley.agent.zm2agent.inbound", "zm2sms");
        c.put("parley.agent.zm2agent.bot", "rasa");
        c.put("parley.agent.zm2agent.rasa.url", wireMockUrl + "/zrasa");
        c.put("parley.agent.zm2agent.handoff", "zmsg2");
        zendesk(c, "zmsg2", wireMockUrl + "/zd");
        c.put("parley.connection.zmsg2.type", "zendesk-messaging");
        c.put("parley.connection.zmsg2.knowledge", "false");
        c.put("parley.connection.zmsg2.app-id", "app-it-2");
        c.put("parley.connection.zmsg2.key-id", "app_it_key");
        c.put("parley.connection.zmsg2.key-secret", "sc-it-key-secret");
        c.put("parley.connection.zmsg2.messaging-webhook-secret", "sc-it-hook-secret");
        c.put("parley.connection.zmsg2.messaging-base-url", wireMockUrl + "/zsc");
        // SecretsLeakIT: a Zendesk connection whose registered webhook signing secret must be sealed at rest.
        zendesk(c, "zsealed", wireMockUrl + "/zsealed");
        c.remove("parley.connection.zsealed.webhook-secret");
        c.put("parley.connection.zsealed.installation", "itsealed");
        c.put("parley.connection.zsealed.knowledge", "false");
        // ... the built-in Zendesk sandbox behind the SMS sandbox: the README's walk-through.
        c.put("parley.connection.zsbsms.type", "infobip-sms");
        c.put("parley.connection.zsbsms.base-url", "sandbox");
        c.put("parley.connection.zsbsms.api-key", "sandbox-key");
        c.put("parley.connection.zsbsms.sender", "Parley");
        c.put("parley.connection.zsbsms.webhook-password", "sandbox-hook");
        c.put("parley.connection.zsandbox.type", "zendesk");
        c.put("parley.connection.zsandbox.base-url", "sandbox");
        c.put("parley.connection.zsandbox.subdomain", "sandbox");
        c.put("parley.connection.zsandbox.email", "bot@sandbox.test");
        c.put("parley.connection.zsandbox.api-token", "sandbox-token");
        c.put("parley.connection.zsandbox.auto-register", "true");
        // Its demo Help Center would join the one knowledge index every bot searches (ExternalBotsIT's own article).
        c.put("parley.connection.zsandbox.knowledge", "false");
        c.put("parley.agent.zsbagent.inbound", "zsbsms");
        c.put("parley.agent.zsbagent.handoff", "zsandbox");
        c.put("parley.agent.zsbagent.fallback", "Sandbox bot here.");
        return c;
    }

    private static String pbkdf2(String password) {
        try {
            byte[] salt = "parley-it-salt-1".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] hash = javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new javax.crypto.spec.PBEKeySpec(password.toCharArray(), salt, 100_000, 256)).getEncoded();
            return "PBKDF2WithHmacSHA256:100000:" + java.util.Base64.getEncoder().encodeToString(salt) + ":"
                    + java.util.Base64.getEncoder().encodeToString(hash);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Infobip agent id the {@code infobip-conversations} connections act as. */
    public static final String AI_AGENT = "ai-parley";

    /** An {@code infobip-conversations} connection {@code id}, answered by the agent of the same id, its own desk. */
    private static void conversations(Map<String, String> c, String id, String baseUrl, String apiKey) {
        c.put("parley.connection." + id + ".type", "infobip-conversations");
        c.put("parley.connection." + id + ".base-url", baseUrl);
        c.put("parley.connection." + id + ".api-key", apiKey);
        c.put("parley.connection." + id + ".ai-agent-id", AI_AGENT);
        c.put("parley.connection." + id + ".webhook-password", "it-hook-secret");
        c.put("parley.agent." + id + ".bot", "embedded");
        c.put("parley.agent." + id + ".inbound", id);
        c.put("parley.agent." + id + ".fallback", "Thanks, noted.");
        c.put("parley.agent." + id + ".keyword.hours", "We are open 9-17.");
        c.put("parley.agent." + id + ".handoff", id);
    }

    /** Zendesk's documented static secret for signing test calls before a webhook exists. */
    public static final String ZENDESK_TEST_SECRET = "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==";
    public static final String ZENDESK_EMAIL = "bot@acme.test";
    public static final String ZENDESK_TOKEN = "zd-it-token";
    public static final String ZENDESK_HOOK_SECRET = "zd-it-hook-secret";

    private static void zendesk(Map<String, String> c, String id, String baseUrl) {
        c.put("parley.connection." + id + ".type", "zendesk");
        c.put("parley.connection." + id + ".subdomain", "acme");
        c.put("parley.connection." + id + ".base-url", baseUrl);
        c.put("parley.connection." + id + ".email", ZENDESK_EMAIL);
        c.put("parley.connection." + id + ".api-token", ZENDESK_TOKEN);
        c.put("parley.connection." + id + ".webhook-secret", ZENDESK_HOOK_SECRET);
    }

    /** {@code Basic base64(email/token:api-token)} as Zendesk expects it from Parley. */
    public static String zendeskAuth() {
        return "Basic " + java.util.Base64.getEncoder().encodeToString(
                (ZENDESK_EMAIL + "/token:" + ZENDESK_TOKEN).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** An {@code infobip-sms} connection {@code id} on the stand-in at {@code baseUrl} (webhook user infobip:it-hook-secret). */
    public static void infobip(Map<String, String> c, String id, String baseUrl, String apiKey, String sender) {
        c.put("parley.connection." + id + ".type", "infobip-sms");
        c.put("parley.connection." + id + ".base-url", baseUrl);
        c.put("parley.connection." + id + ".api-key", apiKey);
        if (sender != null) {
            c.put("parley.connection." + id + ".sender", sender);
        }
        c.put("parley.connection." + id + ".webhook-username", "infobip");
        c.put("parley.connection." + id + ".webhook-password", "it-hook-secret");
    }

    /**
     * Infobip as the tests expect it by default: the balance call accepts {@code it-infobip-key} and refuses
     * {@code revoked-key}; the SMS send API accepts everything and echoes Parley's message id. Tests add
     * higher-priority stubs for their own recipients.
     */
    public static void defaultStubs(WireMockServer wireMock) {
        wireMock.stubFor(get(urlPathEqualTo("/account/1/balance")).atPriority(5)
                .withHeader("Authorization", equalTo("App it-infobip-key"))
                .willReturn(okJson("{\"balance\":42.5,\"currency\":\"EUR\"}")));
        wireMock.stubFor(get(urlPathEqualTo("/account/1/balance")).atPriority(6)
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withBody("{\"requestError\":{\"serviceException\":{\"messageId\":\"UNAUTHORIZED\",\"text\":\"Invalid login details\"}}}")));
        wireMock.stubFor(post(urlPathEqualTo("/sms/3/messages")).atPriority(5)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withTransformers("response-template")
                        .withBody("{\"bulkId\":\"it-bulk\",\"messages\":[{\"messageId\":\"{{jsonPath request.body '$.messages[0].destinations[0].messageId'}}\","
                                + "\"status\":{\"groupId\":1,\"groupName\":\"PENDING\",\"id\":26,\"name\":\"PENDING_ACCEPTED\",\"description\":\"Message sent to next instance\"},"
                                + "\"destination\":\"{{jsonPath request.body '$.messages[0].destinations[0].to'}}\",\"details\":{\"messageCount\":1}}]}")));
        // WhatsApp (WhatsAppIT): the sender's templates; text and template sends accepted, echoing Parley's id.
        wireMock.stubFor(get(urlPathEqualTo("/whatsapp/2/senders/" + WHATSAPP_SENDER + "/templates")).atPriority(5)
                .withHeader("Authorization", equalTo("App it-infobip-key"))
                .willReturn(okJson("{\"templates\":[{\"id\":\"1\",\"businessAccountId\":1,\"name\":\"order_update\","
                        + "\"language\":\"en\",\"status\":\"APPROVED\",\"category\":\"UTILITY\"}]}")));
        wireMock.stubFor(post(urlPathEqualTo("/whatsapp/1/message/text")).atPriority(5)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withTransformers("response-template")
                        .withBody("{\"to\":\"{{jsonPath request.body '$.to'}}\",\"messageCount\":1,"
                                + "\"messageId\":\"{{jsonPath request.body '$.messageId'}}\",\"status\":{\"groupId\":1,"
                                + "\"groupName\":\"PENDING\",\"id\":7,\"name\":\"PENDING_ENROUTE\",\"description\":\"Message sent to next instance\"}}")));
        wireMock.stubFor(post(urlPathEqualTo("/whatsapp/1/message/template")).atPriority(5)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withTransformers("response-template")
                        .withBody("{\"messages\":[{\"to\":\"{{jsonPath request.body '$.messages[0].to'}}\",\"messageCount\":1,"
                                + "\"messageId\":\"{{jsonPath request.body '$.messages[0].messageId'}}\",\"status\":{\"groupId\":1,"
                                + "\"groupName\":\"PENDING\",\"id\":7,\"name\":\"PENDING_ENROUTE\",\"description\":\"Message sent to next instance\"}}],"
                                + "\"bulkId\":\"it-bulk\"}")));
        // Infobip Conversations (ConversationsIT): the key check, the AI agent, no subscription yet, creates accepted.
        wireMock.stubFor(get(urlPathEqualTo("/ccaas/1/conversations")).atPriority(5)
                .withHeader("Authorization", equalTo("App it-infobip-key"))
                .willReturn(okJson("{\"conversations\":[],\"pagination\":{\"totalItems\":0,\"page\":0,\"limit\":1,\"orderBy\":\"id:asc\"}}")));
        wireMock.stubFor(get(urlPathEqualTo("/ccaas/1/conversations")).atPriority(6)
                .willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
                        .withBody("{\"requestError\":{\"serviceException\":{\"messageId\":\"FORBIDDEN\",\"text\":\"Forbidden\"}}}")));
        wireMock.stubFor(get(urlPathEqualTo("/ccaas/1/agents/" + AI_AGENT)).atPriority(5)
                .willReturn(okJson("{\"id\":\"" + AI_AGENT + "\",\"displayName\":\"Parley AI\",\"status\":\"ACTIVE\",\"role\":\"AGENT\"}")));
        wireMock.stubFor(get(urlPathEqualTo("/subscriptions/1/subscription/CUSTOMER_ENGAGEMENT")).atPriority(9)
                .willReturn(okJson("{\"results\":[],\"paging\":{\"page\":0,\"size\":100,\"totalPages\":0,\"totalResults\":0}}")));
        wireMock.stubFor(post(urlPathEqualTo("/subscriptions/1/subscription/CUSTOMER_ENGAGEMENT")).atPriority(9)
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withTransformers("response-template")
                        .withBody("{\"subscriptionId\":\"{{jsonPath request.body '$.subscriptionId'}}\"}")));
        // Zendesk (ZendeskIT): the API user is an admin; an empty Help Center; the Sunshine app exists.
        wireMock.stubFor(get(urlPathEqualTo("/zd/api/v2/users/me")).atPriority(5)
                .withHeader("Authorization", equalTo(zendeskAuth()))
                .willReturn(okJson("{\"user\":{\"id\":9001,\"name\":\"Parley Bot\",\"email\":\"" + ZENDESK_EMAIL
                        + "\",\"role\":\"admin\",\"restricted_agent\":false}}")));
        wireMock.stubFor(get(urlPathEqualTo("/zsealed/api/v2/users/me")).atPriority(5)
                .withHeader("Authorization", equalTo(zendeskAuth()))
                .willReturn(okJson("{\"user\":{\"id\":9002,\"name\":\"Parley Bot\",\"email\":\"" + ZENDESK_EMAIL
                        + "\",\"role\":\"admin\",\"restricted_agent\":false}}")));
        wireMock.stubFor(get(urlPathEqualTo("/zsealed/api/v2/webhooks")).atPriority(9).willReturn(okJson("{\"webhooks\":[]}")));
        wireMock.stubFor(get(urlPathEqualTo("/zd/api/v2/help_center/incremental/articles")).atPriority(9)
                .willReturn(okJson("{\"articles\":[],\"next_page\":null,\"end_time\":0,\"count\":0}")));
        wireMock.stubFor(get(urlPathEqualTo("/zsc/v2/apps/app-it-1")).atPriority(5)
                .willReturn(okJson("{\"app\":{\"id\":\"app-it-1\",\"displayName\":\"Acme\"}}")));
        wireMock.stubFor(get(urlPathEqualTo("/zsc/v2/apps/app-it-1/switchboards")).atPriority(5)
                .willReturn(okJson("{\"switchboards\":[{\"id\":\"sb1\",\"enabled\":true}]}")));
        wireMock.stubFor(get(urlPathEqualTo("/zsc/v2/apps/app-it-1/switchboards/sb1/switchboardIntegrations")).atPriority(5)
                .willReturn(okJson("{\"switchboardIntegrations\":[{\"id\":\"si1\",\"name\":\"bot\",\"integrationType\":\"custom\"},"
                        + "{\"id\":\"si2\",\"name\":\"agent-workspace\",\"integrationType\":\"zd:agentWorkspace\"}]}")));
        wireMock.stubFor(get(urlPathEqualTo("/zsc/v2/apps/app-it-2")).atPriority(5)
                .willReturn(okJson("{\"app\":{\"id\":\"app-it-2\",\"displayName\":\"Acme without messaging\"}}")));
        wireMock.stubFor(get(urlPathEqualTo("/zsc/v2/apps/app-it-2/switchboards")).atPriority(5)
                .willReturn(okJson("{\"switchboards\":[]}")));
    }

    /** Forgets all stubs and recorded requests, then re-applies {@link #defaultStubs}. */
    public static void resetWireMock() {
        WireMockServer wm = wireMock();
        wm.resetAll();
        defaultStubs(wm);
    }

    public static ParleyServer server() {
        return handle().server;
    }

    public static WireMockServer wireMock() {
        return handle().wireMock;
    }

    /** {@code http://localhost:<port>} of the shared WireMock. */
    public static String wireMockUrl() {
        return "http://localhost:" + wireMock().port();
    }

    /** HTTP against the shared Parley with Basic admin:it-secret. */
    public static Http admin() {
        return anonymous().withBasic(ADMIN_USER, ADMIN_PASSWORD);
    }

    /** HTTP against the shared Parley without credentials. */
    public static Http anonymous() {
        return Http.of(server().baseUrl());
    }

    /** Starts (once) or returns the running pair. A failed start is remembered and rethrown, not retried. */
    static synchronized Handle handle() {
        if (handle != null) {
            return handle;
        }
        if (startupFailure != null) {
            throw new IllegalStateException("the shared Parley failed to start earlier in this JVM", startupFailure);
        }
        WireMockServer wm = startWireMock();
        try {
            ParleyServer server = ParleyServer.builder()
                    .name("shared-micro")
                    .config(config("http://localhost:" + wm.port()))
                    // A connector jar dropped in next to the SPI, as a third party would ship it.
                    .addLib(ItPaths.spiJar(), dev.parley.it.echo.EchoConnectorJar.build())
                    .build();
            server.start();
            handle = new Handle(server, wm);
            return handle;
        } catch (RuntimeException e) {
            wm.stop();
            startupFailure = e;
            throw e;
        }
    }

    /**
     * A WireMock on a free port with the default stubs; the caller stops it. It checks every request to Infobip's
     * paths against Infobip's published OpenAPI specs ({@link InfobipSpecValidator}); tests assert with
     * {@link #assertInfobipRequestsFollowSpec}.
     */
    public static WireMockServer startWireMock() {
        SmsLogsFromJournal smsLogs = new SmsLogsFromJournal();
        WireMockServer wm = new WireMockServer(WireMockConfiguration.options()
                .port(FreePorts.find())
                .bindAddress("127.0.0.1")
                .containerThreads(20)
                .jettyStopTimeout(1000L)
                .extensions(smsLogs, new InfobipSpecValidator()));
        smsLogs.attach(wm);
        wm.start();
        defaultStubs(wm);
        return wm;
    }

    /**
     * Fails with every request {@code wm} received since the last check that breaks Infobip's published OpenAPI spec
     * (Infobip's paths only; Zendesk's, the bots' and the desk's are not checked), then forgets them.
     */
    public static void assertInfobipRequestsFollowSpec(WireMockServer wm) {
        InfobipSpecValidator.of(wm).ifPresent(InfobipSpecValidator::assertNoViolations);
    }

    /** The shared WireMock, when the shared pair has started (never starts it). */
    static synchronized java.util.Optional<WireMockServer> startedWireMock() {
        return java.util.Optional.ofNullable(handle).map(h -> h.wireMock);
    }

    static synchronized void shutdown() {
        if (handle != null) {
            handle.close();
            handle = null;
        }
    }

    /** Lives in the JUnit root store, so JUnit closes it once, after the last test class of the JVM. */
    static final class Handle implements ExtensionContext.Store.CloseableResource {
        final ParleyServer server;
        final WireMockServer wireMock;

        Handle(ParleyServer server, WireMockServer wireMock) {
            this.server = server;
            this.wireMock = wireMock;
        }

        @Override
        public void close() {
            try {
                server.stop();
            } finally {
                wireMock.stop();
            }
        }

        @Override
        public String toString() {
            return "shared Parley " + server + " + WireMock :" + wireMock.port();
        }
    }
}
