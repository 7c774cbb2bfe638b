package dev.parley.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.parley.it.support.Conversations;
import dev.parley.it.support.ParleyServer;
import dev.parley.it.support.SharedParley;
import dev.parley.it.support.SharedParleyExtension;
import jakarta.json.Json;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Infobip is down for 30 s (500s for some customers, 429 with Retry-After for others, connections reset for the
 * rest) while customers keep writing, with Parley's shipped retry policy (not the suite's fast one). Afterwards
 * every reply arrives exactly once and in order, and the outage was ridden out with a handful of spaced attempts
 * per customer, not a retry storm: only each session's first reply is tried during the outage, the later ones wait
 * behind it in the database.
 */
@ExtendWith(SharedParleyExtension.class)
class ProviderOutageIT {

    private static final List<String> WORDS = List.of("alpha", "bravo", "charlie");
    private static final int CUSTOMERS = 9;
    private static final long OUTAGE_MS = 30_000;

    private static String customer(int i) {
        return "4179050" + String.format("%04d", i);
    }

    @Test
    void anOutageIsRiddenOutAndEveryReplyArrivesOnceAndInOrder() throws Exception {
        WireMockServer wm = SharedParley.wireMock();
        Map<String, String> config = new LinkedHashMap<>(SharedParley.config(SharedParley.wireMockUrl()));
        for (String key : List.of("parley.outbox.backoff-base-ms", "parley.outbox.backoff-max-ms",
                "parley.outbox.max-attempts", "parley.sweeper.interval-ms")) {
            config.remove(key); // the defaults an operator gets: 2 s doubling, 8 attempts, a 3 s sweep
        }
        WORDS.forEach(w -> config.put("parley.agent.it.keyword." + w, "reply-" + w));
        List<StubMapping> outage = List.of(
                wm.stubFor(post(urlPathEqualTo("/sms/3/messages")).atPriority(1)
                        .withRequestBody(matchingJsonPath("$.messages[0].destinations[0].to", matching("4179050000[0-2]")))
                        .willReturn(aResponse().withStatus(500).withBody("{\"requestError\":{}}"))),
                wm.stubFor(post(urlPathEqualTo("/sms/3/messages")).atPriority(1)
                        .withRequestBody(matchingJsonPath("$.messages[0].destinations[0].to", matching("4179050000[3-5]")))
                        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3"))),
                wm.stubFor(post(urlPathEqualTo("/sms/3/messages")).atPriority(1)
                        .withRequestBody(matchingJsonPath("$.messages[0].destinations[0].to", matching("4179050000[6-8]")))
                        .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER))));
        boolean removed = false;
        try (ParleyServer parley = ParleyServer.builder().name("outage").config(config).build().start()) {
            Conversations sms = Conversations.on(parley, wm, "sms");
            InfobipSmsIT.awaitRunning(sms.admin(), "sms");
            long t0 = System.nanoTime();
            List<CompletableFuture<Void>> writing = new ArrayList<>();
            for (int i = 0; i < CUSTOMERS; i++) {
                String me = customer(i);
                writing.add(CompletableFuture.runAsync(() -> {
                    for (String w : WORDS) {
                        sms.deliver("outage-" + me + "-" + w, me, w).expect(200);
                        InfobipSmsIT.quietly(1000);
                    }
                }));
            }
            CompletableFuture.allOf(writing.toArray(CompletableFuture[]::new)).join();
            InfobipSmsIT.quietly(Math.max(0, OUTAGE_MS - (System.nanoTime() - t0) / 1_000_000));
            outage.forEach(wm::removeStub);
            removed = true;

            Map<String, List<String>> failed = new TreeMap<>();
            Map<String, List<String>> delivered = new TreeMap<>();
            long deadline = System.nanoTime() + 150_000_000_000L;
            do {
                collect(wm, failed, delivered);
                if (delivered.size() == CUSTOMERS && delivered.values().stream().allMatch(l -> l.size() >= WORDS.size())) {
                    break;
                }
                InfobipSmsIT.quietly(500);
            } while (System.nanoTime() < deadline);
            InfobipSmsIT.quietly(3000); // nothing more may come
            collect(wm, failed, delivered);
            List<String> expected = WORDS.stream().map(w -> "reply-" + w).toList();
            Map<String, Object> wrong = new TreeMap<>();
            for (int i = 0; i < CUSTOMERS; i++) {
                String me = customer(i);
                if (!expected.equals(delivered.get(me))) {
                    wrong.put(me, "delivered " + delivered.get(me));
                }
                List<String> tried = failed.getOrDefault(me, List.of());
                // Only the first reply is tried while the provider is down; the others wait behind it, spaced out.
                if (tried.isEmpty() || !tried.stream().allMatch("reply-alpha"::equals) || tried.size() > 7) {
                    wrong.put(me + " (outage)", tried.size() + " failed attempts: " + tried);
                }
            }
            System.out.printf("[it] ProviderOutageIT: attempts during the %d s outage per customer %s%n", OUTAGE_MS / 1000,
                    failed.values().stream().map(List::size).toList());
            assertTrue(wrong.isEmpty(), wrong.toString());
            String timeline = sms.session(customer(0)).getJsonArray("timeline").toString();
            assertTrue(timeline.contains("SEND_RETRY"), "retries are in the timeline: " + timeline);
            assertEquals(3, sms.session(customer(0)).getJsonArray("messages").stream()
                    .filter(m -> m.asJsonObject().getString("direction").equals("OUT")
                            && "SENT".equals(m.asJsonObject().getString("status", null))).count(), "three replies SENT");
        } finally {
            if (!removed) {
                outage.forEach(wm::removeStub);
            }
        }
    }

    /** Every send to this test's customers, split by outcome: text per recipient, in the order they were made. */
    private static void collect(WireMockServer wm, Map<String, List<String>> failed, Map<String, List<String>> delivered) {
        failed.clear();
        delivered.clear();
        List<ServeEvent> sends = new ArrayList<>(wm.getAllServeEvents());
        sends.sort(java.util.Comparator.comparing(e -> e.getRequest().getLoggedDate()));
        for (ServeEvent e : sends) {
            if (!e.getRequest().getUrl().startsWith("/sms/3/messages") || !e.getRequest().getBodyAsString().contains("4179050")) {
                continue;
            }
            var message = Json.createReader(new StringReader(e.getRequest().getBodyAsString())).readObject()
                    .getJsonArray("messages").getJsonObject(0);
            String to = message.getJsonArray("destinations").getJsonObject(0).getString("to");
            String text = message.getJsonObject("content").getString("text");
            boolean ok = e.getResponseDefinition().getFault() == null && e.getResponse() != null
                    && e.getResponse().getStatus() == 200;
            (ok ? delivered : failed).computeIfAbsent(to, k -> new ArrayList<>()).add(text);
        }
    }
}
