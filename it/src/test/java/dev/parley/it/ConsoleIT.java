package dev.parley.it;

import dev.parley.it.support.Await;
import dev.parley.it.support.Browser;
import dev.parley.it.support.Conversations;
import dev.parley.it.support.Http;
import dev.parley.it.support.ParleyServer;
import dev.parley.it.support.SharedParley;
import dev.parley.it.support.SharedParleyExtension;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console in a real browser (Debian's Chromium, see {@link Browser}): every page clicked through as an operator
 * would, checking what a person sees, with a screenshot of each under {@code it/target/screenshots}. The walk-through
 * of the README runs without curl: the customer writes from the SMS sandbox page, the session shows the bot's
 * reasoning and the handoff's ticket, the agent answers and solves from the Zendesk sandbox page.
 */
@ExtendWith(SharedParleyExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {

    private static Browser browser;

    @BeforeAll
    static void signIn() throws Exception {
        browser = Browser.signedIn(SharedParley.server().baseUrl(), SharedParley.ADMIN_USER, SharedParley.ADMIN_PASSWORD);
    }

    /** A failed test leaves a screenshot of what the browser showed. */
    @org.junit.jupiter.api.extension.RegisterExtension
    static final org.junit.jupiter.api.extension.TestWatcher SCREENSHOT_ON_FAILURE = new org.junit.jupiter.api.extension.TestWatcher() {
        @Override
        public void testFailed(org.junit.jupiter.api.extension.ExtensionContext context, Throwable cause) {
            if (browser != null) browser.screenshot("failed-" + context.getRequiredTestMethod().getName());
        }
    };

    @AfterAll
    static void quit() {
        if (browser != null) browser.close();
    }

    @Test
    @Order(1)
    void theConsoleNeedsTheAdminRoleLikeTheApi(ParleyServer parley) {
        Http anonymous = Http.of(parley.baseUrl());
        for (String path : List.of("/console/", "/console/sessions/1", "/console/assets/console.js")) {
            Http.Response r = anonymous.get(path).expect(401);
            assertTrue(r.header("WWW-Authenticate").startsWith("Basic "), path + " asks the browser to sign in");
            assertFalse(r.body().contains("<html"), "no page without credentials: " + r.body());
        }
        anonymous.withBasic(SharedParley.ADMIN_USER, "wrong").get("/console/").expect(401);
        Http.Response page = anonymous.withBasic(SharedParley.ADMIN_USER, SharedParley.ADMIN_PASSWORD)
                .get("/console/sessions/42").expect(200);
        assertTrue(page.header("Content-Type").startsWith("text/html"), page.toString());
        assertTrue(page.header("Content-Security-Policy").contains("default-src 'self'"), "no foreign scripts");
    }

    @Test
    @Order(2)
    void channelsShowStateActionsWebhooksAndMaskedSecrets(Http admin) {
        ConnectionLifecycleIT.awaitState(admin, "zsbsms", "RUNNING");
        ConnectionLifecycleIT.awaitState(admin, "zsandbox", "RUNNING");
        browser.open("/console/channels");
        WebElement row = browser.find("tr[data-connection='zsbsms']");
        WebElement state = row.findElement(By.cssSelector("[data-state]"));
        assertEquals("RUNNING", state.getText());
        assertTrue(row.findElement(By.cssSelector(".dot")).getAttribute("class").contains("RUNNING"));
        assertFalse(state.getAttribute("title").isBlank(), "the reason shows on hover");
        assertFalse(row.findElement(By.xpath(".//button[text()='Start']")).isEnabled(), "a running connection cannot be started");
        browser.screenshot("channels");
        assertAccessible("channels");

        row.findElement(By.xpath(".//button[text()='Verify']")).click();
        String verified = browser.notice();
        assertTrue(verified.startsWith("Verify zsbsms: OK"), verified);

        browser.find("tr[data-connection='zsbsms'] a[href='/console/channels/zsbsms']").click();
        browser.awaitText("main h1", "Connection zsbsms");
        WebElement hook = browser.find("input[aria-label='sms']");
        assertEquals(SharedParley.server().baseUrl() + "/channel/zsbsms/webhook/sms", hook.getAttribute("value"));
        String page = browser.find("main").getText();
        assertTrue(page.contains("api-key") && page.contains("****"), "secrets are masked");
        assertFalse(browser.driver().getPageSource().contains("sandbox-key"), "the API key never reaches the browser");
        assertFalse(browser.all("#logs + table tbody tr").isEmpty(), "the connection's log is shown");
        browser.find("button[aria-label='Copy sms']").click();
        assertEquals("Copied sms", browser.notice());
        browser.screenshot("channel");
        assertAccessible("channel");
        // The check can fail: an image without a text alternative is reported.
        ((JavascriptExecutor) browser.driver()).executeScript(
                "document.querySelector('main').append(Object.assign(document.createElement('img'), {src: '/x.png'}))");
        assertTrue(browser.accessibilityProblems().stream().anyMatch(p -> p.startsWith("image-alt")), "axe-core runs");

    }

    @Test
    @Order(3)
    void theReadmeWalkThroughInTheBrowser(ParleyServer parley, Http admin) {
        String me = "+41790031337";
        browser.open("/console/sandbox/zsbsms");
        customerWrites(parley, me, "What are your hours?");
        customerWrites(parley, me, "I want to talk to a human, my email is lee@example.com");
        browser.screenshot("sandbox-sms");
        assertAccessible("sandbox-sms");

        // Sessions: filter by contact, open the session.
        browser.open("/console/sessions");
        browser.find("input[name='contact']").sendKeys(me);
        browser.click("form[role='search'] button[type='submit']");
        browser.await(d -> d.getCurrentUrl().contains("contact=") ? Boolean.TRUE : null, "the filter applied");
        browser.awaitText("main table tbody", me);
        assertEquals(1, browser.all("main table tbody tr").size(), "only this customer's session");
        String sessionPath = browser.attribute("main table a[href^='/console/sessions/']", "href").replaceFirst("^https?://[^/]+", "");
        browser.click("main table a[href^='/console/sessions/']");
        browser.awaitText("main", "Ticket opened at the help desk");
        browser.awaitText(".timeline .msg.IN", "What are your hours?");
        assertTrue(browser.text(".timeline .msg.OUT").contains("Sandbox bot here."), "the bot's answer");
        browser.awaitText(".reasoning", "configured answers");
        String ticketHref = browser.attribute("main table a[href*='/sandbox/zsandbox/agent/tickets/']", "href");
        String ticketId = ticketHref.replaceFirst(".*/", "");
        browser.screenshot("session-handed-off");
        assertAccessible("session-handed-off");

        // The ticket link works (with the desk's credentials, as the desk agent has them).
        Http zendesk = Http.of(parley.baseUrl()).withHeader("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString("bot@sandbox.test/token:sandbox-token".getBytes(StandardCharsets.UTF_8)));
        JsonObject opened = zendesk.get(ticketHref.replaceFirst("^https?://[^/]+", "")).expect(200).json();
        assertTrue(opened.getJsonObject("ticket").toString().contains(sessionPath),
                "the ticket's note links back to this console page: " + opened);

        // Be the desk agent in the Zendesk sandbox page: reply, then solve.
        browser.open("/console/sandbox/zsandbox");
        WebElement card = browser.find("[data-ticket='" + ticketId + "']");
        card.findElement(By.cssSelector("textarea")).sendKeys("Hi Lee, Dana here. Happy to help.");
        browser.click("[data-ticket='" + ticketId + "'] button[aria-label='Reply on ticket " + ticketId + "']");
        String replied = browser.notice();
        assertFalse(replied.contains("failed"), replied);
        Await.until(SharedParley.PATIENCE, () -> smsTexts(parley, me).stream().anyMatch(t -> t.contains("Hi Lee, Dana here. Happy to help.")),
                "the agent's reply reached the customer in the SMS sandbox");
        browser.click("[data-ticket='" + ticketId + "'] button[aria-label='Solve ticket " + ticketId + "']");
        String solved = browser.notice();
        assertFalse(solved.contains("failed"), solved);

        browser.open(sessionPath);
        browser.awaitAfterReload(d -> d.findElements(By.cssSelector("main .card .badge")).stream()
                .anyMatch(b -> b.getText().equals("RESOLVED")), "the session is RESOLVED");
        browser.awaitText(".timeline", "Hi Lee, Dana here.");
        browser.screenshot("session-resolved");
        assertAccessible("session-resolved");
    }

    @Test
    @Order(4)
    void chatbotsShowValidationErrorsAtTheirLocationsAndActivateOnASchedule() {
        browser.open("/console/chatbots");
        browser.find("input[name='id']").sendKeys("consolebot");
        setValue("textarea[name='definition']", "name: Console bot\nchannel: zsbsms\nsender: ConsoleOnly\n"
                + "welcome: nowhere\ndialogs:\n  - id: hi\n    messages:\n      - text: Hi\n        buttons:\n          - caption: ''\n            postback: x\n");
        browser.click("main form button[type='submit']");
        browser.awaitText("main h1", "Chatbot consolebot");
        browser.click("main form button[type='submit']"); // save again: the errors show with their locations
        browser.await(d -> !d.findElements(By.cssSelector("#validation .errors li")).isEmpty(), "validation errors");
        String errors = browser.text("#validation .errors");
        assertTrue(errors.contains("dialogs[hi].messages[0].buttons[0]"), errors);
        browser.screenshot("chatbot-invalid");
        assertAccessible("chatbot-invalid");

        setValue("#definition", "name: Console bot\nchannel: zsbsms\nsender: ConsoleOnly\nwelcome: hi\n"
                + "dialogs:\n  - id: hi\n    messages:\n      - Hi from the console bot\n");
        browser.click("main form button[type='submit']");
        browser.awaitText("#validation", "Valid.");

        // Typed, a datetime-local input wants the browser locale's order: set its value (the console reads .value).
        setValue("input[name='activateAt']", "2030-12-31T09:00");
        WebElement zone = browser.find("input[name='zone']");
        zone.clear();
        zone.sendKeys("Europe/Berlin");
        browser.clickButton("Schedule");
        browser.awaitText("main .card", "activate at 2030-12-31 09:00 Europe/Berlin");
        browser.screenshot("chatbot-scheduled");
        assertAccessible("chatbot-scheduled");
        browser.clickButton("Cancel schedule");
        browser.await(d -> !d.findElement(By.cssSelector("main")).getText().contains("activate at 2030"), "schedule cancelled");

        browser.clickButton("Activate now");
        browser.awaitText("main .card .badge", "ACTIVE");
        browser.clickButton("Deactivate");
        browser.await(d -> !d.findElement(By.cssSelector("main .card .badge")).getText().equals("ACTIVE"), "deactivated");
    }

    @Test
    @Order(5)
    void aWhatsAppChatbotShowsItsLinkAndQrCode(Http admin) {
        admin.send("PUT", "/api/chatbots/consolewa", "name: WhatsApp bot\nchannel: wasb\nsender: '447700900777'\nwelcome: hi\n"
                + "dialogs:\n  - id: hi\n    messages:\n      - Hi on WhatsApp\n", "application/yaml", java.util.Map.of()).expect(200, 201);
        browser.open("/console/chatbots/consolewa");
        assertEquals("https://wa.me/447700900777", browser.attribute("input[aria-label='wa.me link']", "value"));
        browser.await(d -> ((Number) ((JavascriptExecutor) d).executeScript(
                "const i = document.querySelector('img.qr'); return i && i.complete ? i.naturalWidth : 0;")).intValue() > 0
                ? Boolean.TRUE : null, "the QR code image loaded");
        browser.screenshot("chatbot-whatsapp");
        assertAccessible("chatbot-whatsapp");
    }

    @Test
    @Order(6)
    void theSessionPageIsTheDeskWhenTheConsoleIs(Http admin) {
        String from = "447911123977";
        // Agent "night" hands off to the console (outside its office hours it says when people are back).
        Conversations bots = new Conversations("night");
        InfobipSmsIT.awaitRunning(admin, "night");
        bots.customerWrites(from, "can I talk to a person");
        long id = Await.value(SharedParley.PATIENCE, () -> bots.latestSession(from).filter(s -> "HANDED_OFF".equals(
                admin.get("/api/sessions/" + s).expect(200).json().getJsonObject("session").getString("state"))).orElse(null),
                "the session handed off to the console");
        browser.open("/console/sessions/" + id);
        browser.find("textarea[name='reply']").sendKeys("Hello from the console desk.");
        browser.find("input[name='agentName']").sendKeys("Carl");
        browser.click("main form button[type='submit']");
        browser.awaitText(".timeline .msg.OUT", "Hello from the console desk.");
        Await.until(SharedParley.PATIENCE, () -> bots.textsTo(from).stream().anyMatch(t -> t.contains("Hello from the console desk.")),
                "the reply was sent to the customer");
        browser.clickButton("Resolve");
        browser.awaitText("main .card .badge", "RESOLVED");
        assertTrue(browser.all("textarea[name='reply']").isEmpty(), "a resolved session has no reply form");
        browser.screenshot("session-console-desk");
        assertAccessible("session-console-desk");
    }

    @Test
    @Order(7)
    void theWhatsAppSandboxPlaysTheCustomer(ParleyServer parley, Http admin) {
        InfobipSmsIT.awaitRunning(admin, "wasb");
        String me = "4915112345601";
        Http sandbox = Http.of(parley.baseUrl()).withHeader("Authorization", "App sandbox-key");
        browser.open("/console/sandbox/wasb");
        WebElement number = browser.find("input[name='from']");
        number.clear();
        number.sendKeys(me);
        browser.find("textarea[name='text']").sendKeys("hours");
        browser.click("main form button[type='submit']");
        assertTrue(browser.notice().contains("posted"));
        Await.until(SharedParley.PATIENCE, () -> sandbox.get("/sandbox/wasb/messages").expect(200).json()
                .getJsonArray("messages").stream().map(JsonValue::asJsonObject)
                .anyMatch(m -> me.equals(m.getString("to", null)) && m.toString().contains("We are open 9-17.")),
                "the bot's WhatsApp reply");
        browser.clickButton("Refresh");
        browser.awaitText("main pre", "We are open 9-17.");
        long session = Await.value(SharedParley.PATIENCE, () -> admin.get("/api/sessions?connection=wasb&contact=%2B" + me)
                .expect(200).jsonArray().stream().map(v -> v.asJsonObject().getJsonNumber("id").longValue()).findFirst()
                .orElse(null), "the WhatsApp session");
        browser.open("/console/sessions/" + session);
        browser.awaitText(".timeline .msg.OUT", "We are open 9-17.");
        browser.awaitText(".reasoning", "keyword");
        browser.screenshot("sandbox-whatsapp-session");
        assertAccessible("sandbox-whatsapp-session");
    }

    @Test
    @Order(8)
    void theConversationsSandboxPlaysTheCustomerAndTheHumanAgent(Http admin) {
        InfobipSmsIT.awaitRunning(admin, "ccsb");
        // The sandbox forgets its event subscription when the shared server restarts. Parley creates it again at start,
        // or, when the last start's claim is younger than a minute, once that claim is stale: wait for it.
        Await.until(java.time.Duration.ofSeconds(90), () -> admin.get("/api/connections/ccsb/setup").expect(200).json()
                .getBoolean("complete", false), "the ccsb event subscription");
        String me = "4915112345602";
        browser.open("/console/sandbox/ccsb");
        WebElement number = browser.find("input[name='from']");
        number.clear();
        number.sendKeys("+" + me);
        browser.find("textarea[name='text']").sendKeys("hours");
        browser.click("main form button[type='submit']");
        assertTrue(browser.notice().contains("posted"));
        String id = admin.get("/api/sandbox/ccsb/console/conversations").expect(200).json().getJsonArray("conversations")
                .stream().map(JsonValue::asJsonObject).filter(c -> me.equals(c.getJsonObject("customer").getString("address")))
                .map(c -> c.getString("id")).findFirst().orElseThrow();
        String card = "[data-conversation='" + id + "']";
        browser.awaitAfterReload(d -> cardText(d, card).contains("We are open 9-17."), "the AI's answer in the conversation");
        assertTrue(cardText(browser.driver(), card).contains("Parley AI agent"), "assigned to the AI");

        // The customer asks for a human in the conversation: the AI hands off (unassigned, a tag and a note).
        browser.find(card + " input").sendKeys("I want to talk to a human");
        browser.click(card + " button[data-action='write']");
        browser.awaitAfterReload(d -> d.findElement(By.cssSelector(card + " .assignee")).getText().equals("none")
                && !d.findElements(By.cssSelector(card + " .notes li")).isEmpty(), "handed off: unassigned with a note");
        browser.screenshot("sandbox-conversations-handoff");
        assertAccessible("sandbox-conversations-handoff");

        // The human agent gives it back, then the AI answers again and the session says so.
        browser.click(card + " button[data-action='assign-ai']");
        browser.awaitText(card + " .assignee", "Parley AI agent");
        long session = Await.value(SharedParley.PATIENCE, () -> admin.get("/api/sessions?connection=ccsb").expect(200).jsonArray()
                .stream().map(JsonValue::asJsonObject).filter(s -> s.getString("contact", "").contains(id))
                .map(s -> s.getJsonNumber("id").longValue()).findFirst().orElse(null), "the conversation's session");
        browser.open("/console/sessions/" + session);
        browser.awaitAfterReload(d -> d.findElement(By.cssSelector(".timeline")).getText().contains("The AI took the conversation back"),
                "the AI's return in the timeline");

        // Closed by the agent: the sandbox shows it CLOSED.
        browser.open("/console/sandbox/ccsb");
        browser.click(card + " button[data-action='close']");
        browser.awaitText(card + " .badge", "CLOSED");
    }

    private static String cardText(org.openqa.selenium.WebDriver d, String card) {
        return d.findElements(By.cssSelector(card)).stream().findFirst().map(WebElement::getText).orElse("");
    }

    @Test
    @Order(9)
    void theDoctorKnowledgeAndApiPagesShowWhatTheApiSays(Http admin) {
        browser.open("/console/doctor");
        JsonObject report = admin.get("/api/doctor").expect(200).json();
        browser.awaitText("main", "Worst finding: " + report.getString("worst"));
        for (JsonValue c : report.getJsonArray("connections")) {
            String id = c.asJsonObject().getString("id");
            assertFalse(browser.all("main h2 a[href='/console/channels/" + id + "']").isEmpty(), "doctor lists " + id);
        }
        assertFalse(browser.all("main .findings li[data-severity]").isEmpty());
        browser.screenshot("doctor");
        assertAccessible("doctor");

        browser.open("/console/knowledge");
        int articles = admin.get("/api/knowledge/articles").expect(200).jsonArray().size();
        browser.awaitText("main", "Articles (" + articles + ")");
        browser.screenshot("knowledge");
        assertAccessible("knowledge");

        browser.driver().get(SharedParley.server().baseUrl() + "/openapi/ui/");
        browser.await(d -> d.findElements(By.cssSelector(".opblock-summary-path")).stream()
                .anyMatch(e -> e.getText().replace("\u200b", "").equals("/api/sessions/{id}/reply")), "Swagger UI lists the admin API");
        browser.screenshot("openapi-ui");
        Http.Response yaml = Http.of(SharedParley.server().baseUrl()).send("GET", "/openapi", null, null, java.util.Map.of("Accept", "*/*"))
                .expect(200);
        assertTrue(yaml.header("Content-Type").startsWith("application/yaml"), yaml.header("Content-Type"));
    }

    /** No serious or critical WCAG 2 A/AA violation on the page as shown (axe-core). */
    private static void assertAccessible(String page) {
        List<String> problems = browser.accessibilityProblems();
        assertEquals(List.of(), problems, "accessibility problems on the " + page + " page");
    }

    private static void customerWrites(ParleyServer parley, String from, String text) {
        int before = smsTexts(parley, from).size();
        WebElement number = browser.find("input[name='from']");
        number.clear();
        number.sendKeys(from);
        browser.find("textarea[name='text']").sendKeys(text);
        browser.click("main form button[type='submit']");
        String notice = browser.notice();
        assertTrue(notice.contains("posted"), notice);
        browser.await(d -> d.findElement(By.id("notice")).getText().contains("posted")
                && d.findElement(By.cssSelector("textarea[name='text']")).getAttribute("value").isEmpty(), "form reset");
        // Let the bot answer before the next message (a new text to the customer in the SMS sandbox), then the
        // sandbox page shows the reply once refreshed.
        List<String> texts = Await.value(SharedParley.PATIENCE, () -> {
            List<String> now = smsTexts(parley, from);
            return now.size() > before ? now : null;
        }, "the bot's reply to '" + text + "'");
        browser.clickButton("Refresh");
        browser.awaitText("main pre", jsonEscaped(texts.get(texts.size() - 1)));
    }

    /** The texts the SMS sandbox received for the customer {@code to}, oldest first. */
    private static List<String> smsTexts(ParleyServer parley, String to) {
        String digits = to.replace("+", "");
        return Http.of(parley.baseUrl()).withHeader("Authorization", "App sandbox-key").get("/sandbox/zsbsms/messages")
                .expect(200).json().getJsonArray("messages").stream().map(JsonValue::asJsonObject)
                .filter(m -> m.getString("to", "").replace("+", "").equals(digits))
                .map(m -> m.getString("text", "")).toList();
    }

    /** A text as the sandbox page's state shows it: inside a JSON string (JSON-P escapes as JSON.stringify does). */
    private static String jsonEscaped(String text) {
        String quoted = jakarta.json.Json.createValue(text).toString();
        return quoted.substring(1, quoted.length() - 1);
    }

    /** Sets an input's or a text area's value at once (typing a whole definition key by key is slow and adds nothing). */
    private static void setValue(String css, String value) {
        WebElement e = browser.find(css);
        ((JavascriptExecutor) browser.driver()).executeScript("arguments[0].value = arguments[1];", e, value);
    }
}
