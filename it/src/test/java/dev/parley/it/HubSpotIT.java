package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.it.support.Await;
import dev.parley.it.support.Conversations;
import dev.parley.it.support.Http;
import dev.parley.it.support.SharedParley;
import dev.parley.it.support.SharedParleyExtension;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's HubSpot walk-through through the real server, on the built-in sandboxes alone: a WhatsApp customer
 * (the WhatsApp sandbox) sends an image and asks for a human; the HubSpot sandbox then has one ticket in the pipeline
 * and stage configured by label, for the customer's contact found by phone (or created), with the transcript, the link
 * to Parley's copy of the image and to the session, and an internal note; the customer is told a human follows up.
 */
@ExtendWith(SharedParleyExtension.class)
class HubSpotIT {

    @Test
    void aWhatsAppHandoffBecomesOneHubSpotTicketWithTranscriptContactNoteAndMedia(Http admin) {
        InfobipSmsIT.awaitRunning(admin, "wasb");
        InfobipSmsIT.awaitRunning(admin, "hssb");
        Http customer = SharedParley.anonymous().withHeader("Authorization", "App sandbox-key");
        Http hubspot = SharedParley.anonymous().withHeader("Authorization", "Bearer hs-sandbox-token");
        String me = "4915112345678"; // the HubSpot sandbox's seeded contact 101 has phone +4915112345678
        int ticketsBefore = hubspot.get("/sandbox/hssb/agent/tickets").expect(200).json().getJsonArray("tickets").size();

        customer.postJson("/sandbox/wasb/customer/" + me + "/image", "{\"caption\":\"the broken part\"}").expect(200);
        customer.postJson("/sandbox/wasb/customer/" + me + "/text", "{\"text\":\"human\",\"name\":\"Max\"}").expect(200);

        JsonObject ticket = Await.value(SharedParley.PATIENCE, () -> {
            List<JsonObject> t = hubspot.get("/sandbox/hssb/agent/tickets").expect(200).json().getJsonArray("tickets")
                    .stream().map(JsonValue::asJsonObject).toList();
            return t.size() > ticketsBefore ? t.get(0) : null;
        }, "a HubSpot ticket");
        assertEquals(ticketsBefore + 1, hubspot.get("/sandbox/hssb/agent/tickets").expect(200).json()
                .getJsonArray("tickets").size(), "one ticket for one handoff");
        JsonObject full = hubspot.get("/sandbox/hssb/agent/tickets/" + ticket.getString("id")).expect(200).json();
        assertEquals("0", full.getJsonObject("pipeline").getString("id"));
        assertEquals("1", full.getJsonObject("stage").getString("id"), "stage 'New' resolved from its label");
        assertEquals("101", full.getJsonObject("contact").getString("id"), "the existing contact found by phone");
        String content = full.getString("content");
        assertTrue(content.contains("human") && content.contains("/media/") && content.contains("/console/sessions/"), content);
        String note = full.getJsonArray("notes").getJsonObject(0).getString("body");
        assertTrue(note.contains("customer asked for a human") || note.toLowerCase().contains("reason"), note);

        JsonObject session = sessionOf(admin, "+" + me);
        String opened = Conversations.timelineEntry(session, "HANDOFF_OPENED").map(e -> e.getString("detail")).orElse("");
        assertTrue(opened.contains(ticket.getString("id")), opened);
        Await.until(SharedParley.PATIENCE, () -> sessionOf(admin, "+" + me).getJsonArray("messages").stream()
                .map(JsonValue::asJsonObject).anyMatch(m -> m.getString("direction").equals("OUT")
                        && m.getString("text", "").toLowerCase().contains("team")), "the customer told a human follows up");
    }

    private static JsonObject sessionOf(Http admin, String contact) {
        var sessions = admin.get("/api/sessions?connection=wasb&contact=" + contact.replace("+", "%2B")).expect(200).jsonArray();
        long id = sessions.stream().mapToLong(v -> v.asJsonObject().getJsonNumber("id").longValue()).max().orElseThrow();
        return admin.get("/api/sessions/" + id).expect(200).json();
    }
}
