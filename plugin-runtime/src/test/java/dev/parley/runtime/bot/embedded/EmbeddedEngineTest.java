package dev.parley.runtime.bot.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.runtime.bot.BotAnswer;
import dev.parley.runtime.bot.BotMessage;
import dev.parley.runtime.bot.BotReasoning;
import dev.parley.runtime.bot.BotRequest;
import dev.parley.runtime.knowledge.KnowledgeHit;
import dev.parley.runtime.knowledge.KnowledgeSearch;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddedEngineTest {

    private static final String HOURS = "We are open Monday to Friday, 9:00 to 17:00, and Saturday 10:00 to 14:00.";
    private static final KnowledgeSearch GIFT_CARDS = (query, language, max) -> query.contains("gift card")
            ? List.of(new KnowledgeHit("admin", "gift", "en", "Gift cards", "Gift cards never expire. "
            + "x".repeat(400), "https://help.example.com/gift", 3.2))
            : List.of();

    private final EmbeddedEngine engine = new EmbeddedEngine(Samples.acme(), GIFT_CARDS);

    private BotAnswer first(String text) {
        return engine.answer(new BotRequest("acme", 1, text, true, null, List.of(), null));
    }

    private BotAnswer next(String text, BotAnswer previous) {
        return engine.answer(new BotRequest("acme", 1, text, false, previous.context(), List.of(), null));
    }

    private static List<String> texts(BotAnswer a) {
        return a.messages().stream().map(BotMessage::text).toList();
    }

    @Test
    void aGreetingGetsTheWelcomeAloneWithItsButtonsInTheContext() {
        BotAnswer a = first("hi");
        assertEquals(List.of("Hi, this is Acme support. What can I do for you?"), texts(a));
        assertEquals(3, a.messages().get(0).buttons().size());
        assertNotNull(a.context());
        assertNull(a.topic());
        assertNull(a.handoff());
        assertEquals("en", a.language());
    }

    @Test
    void aFirstMessageWithAQuestionGetsTheWelcomeThenTheAnswer() {
        BotAnswer a = first("where is my order?");
        assertEquals(3, a.messages().size());
        assertEquals("order_status", a.topic());
        assertTrue(a.messages().get(1).text().startsWith("Please send us your order number"));
        assertTrue(a.context().contains("https://www.example.com/track"), "the last message's buttons");
    }

    @Test
    void aButtonIsChosenByNumberCaptionOrPostback() {
        BotAnswer welcome = first("hello");
        assertEquals(List.of(HOURS), texts(next("1", welcome)), "dialog:hours by number");
        assertEquals(List.of(HOURS), texts(next("opening HOURS", welcome)), "by caption, case-insensitive");
        BotAnswer order = next("2", welcome);
        assertEquals("order_status", order.topic(), "a text postback is processed as the customer's input");
        assertEquals(List.of("https://www.example.com"), texts(next("3", welcome)), "a url button");
        assertNull(next("3", welcome).context());
        assertEquals("order_status", next("where is my order", welcome).topic(), "the postback text itself");
    }

    @Test
    void aNumberBeyondTheButtonsIsOrdinaryText() {
        BotAnswer a = next("7", first("hi"));
        assertTrue(texts(a).get(0).startsWith("Sorry, I did not get that"), texts(a).toString());
    }

    @Test
    void contextRoundTripsAcrossTurns() {
        BotAnswer fallback = next("purple elephants dance", first("hi"));
        assertEquals(List.of("Sorry, I did not get that. I can help with these:"), texts(fallback));
        assertNull(fallback.topic());
        BotAnswer human = next("2", fallback);
        assertEquals(List.of("Sure, I am passing you to a colleague. Please hold on."), texts(human));
        assertNotNull(human.handoff(), "the dialog's message hands off");
        assertEquals(List.of(HOURS), texts(next("Opening hours", fallback)));
    }

    @Test
    void aKeywordBeatsIntentsAndMatchesWholeWordsOnly() {
        BotAnswer a = next("HOURS of the order desk?", first("hi"));
        assertEquals(List.of(HOURS), texts(a));
        assertNull(a.topic());
        BotAnswer notAWord = next("my parcel, where is it? workhours", first("hi"));
        assertEquals("order_status", notAWord.topic());
    }

    @Test
    void aHandoffIntentHandsOffWithItsNameAsTopic() {
        BotAnswer a = next("can I speak to a person", first("hi"));
        assertEquals("talk_to_human", a.topic());
        assertEquals("customer asked for a human (intent talk_to_human)", a.handoff().reason());
        assertEquals(List.of("Sure, I am passing you to a colleague. Please hold on."), texts(a));
    }

    @Test
    void knowledgeAnswersWhenNoIntentMatches() {
        BotAnswer a = next("do gift card balances expire", first("hi"));
        assertEquals("knowledge", a.topic());
        String text = texts(a).get(0);
        assertTrue(text.startsWith("Gift cards\nGift cards never expire."), text);
        assertTrue(text.endsWith("\nhttps://help.example.com/gift"), text);
        assertTrue(text.length() < 300 + 60, text);
        assertNull(a.context());
    }

    @Test
    void knowledgeCanBeSwitchedOff() {
        BotDefinition noKnowledge = BotDefinition.parse(Samples.acmeYaml().replace("knowledge: true", "knowledge: false"));
        BotAnswer a = new EmbeddedEngine(noKnowledge, GIFT_CARDS)
                .answer(new BotRequest("acme", 1, "gift card", false, null, List.of(), null));
        assertNull(a.topic());
        assertTrue(texts(a).get(0).startsWith("Sorry"));
    }

    @Test
    void withoutAFallbackDialogTheBuiltInApologyAnswers() {
        BotDefinition bare = BotDefinition.parse("name: bare\nchannel: sms\nsender: x");
        BotAnswer a = new EmbeddedEngine(bare, null).answer(new BotRequest("a", 1, "hi", true, null, null, null));
        assertEquals(List.of(EmbeddedEngine.BUILT_IN_FALLBACK), texts(a));
        assertNull(a.context());
    }

    @Test
    void aForeignContextIsIgnored() {
        BotAnswer a = engine.answer(new BotRequest("acme", 1, "1", false, "not json", List.of(), null));
        assertTrue(texts(a).get(0).startsWith("Sorry, I did not get that"));
        assertTrue(EmbeddedEngine.offeredButtons("[1,2]").isEmpty());
        assertTrue(EmbeddedEngine.offeredButtons("{\"buttons\":[1]}").isEmpty());
    }

    @Test
    void excerptsEndAtASentenceOrAWord() {
        String sentences = "First sentence is here. ".repeat(20);
        String e = EmbeddedEngine.excerpt(sentences);
        assertTrue(e.endsWith("here.") && e.length() <= EmbeddedEngine.EXCERPT_CHARS, e);
        String words = "word ".repeat(100);
        String w = EmbeddedEngine.excerpt(words);
        assertTrue(w.endsWith("word…") && w.length() <= EmbeddedEngine.EXCERPT_CHARS + 1, w);
        assertEquals("short  text".replaceAll("\\s+", " "), EmbeddedEngine.excerpt(" short \n text "));
    }

    private static final String RESOLVING = """
            name: r
            channel: sms
            sender: Parley
            knowledge: false
            intents:
              - name: thanks
                phrases: [thanks a lot, thank you that helps]
                dialog: welcome_back
                resolve: true
              - name: hours
                phrases: [opening hours, when are you open]
                dialog: hours
            keywords:
              - keyword: bye
                dialog: bye
              - keyword: both
                dialog: both
            dialogs:
              - id: welcome_back
                messages: [You're welcome!]
              - id: hours
                messages: [We open at 9.]
              - id: bye
                messages:
                  - text: Goodbye!
                    resolve: true
                  - Never sent
              - id: both
                messages:
                  - text: Getting a colleague.
                    handoff: true
            """;

    private final EmbeddedEngine resolving = new EmbeddedEngine(BotDefinition.parse(RESOLVING), null);

    private BotAnswer ask(String text) {
        return resolving.answer(new BotRequest("r", 1, text, false, null, List.of(), null));
    }

    @Test
    void aResolvingMessageEndsTheDialogAndResolves() {
        BotAnswer a = ask("ok bye");
        assertEquals(List.of("Goodbye!"), texts(a), "messages after the resolving one are not sent");
        assertEquals("dialog bye resolves the conversation", a.resolved());
        assertNull(a.handoff());
    }

    @Test
    void aResolvingIntentResolvesAfterItsDialog() {
        BotAnswer a = ask("thanks a lot");
        assertEquals(List.of("You're welcome!"), texts(a));
        assertEquals("intent thanks resolves the conversation", a.resolved());
    }

    @Test
    void otherAnswersDoNotResolve() {
        assertNull(ask("when are you open").resolved());
        assertNull(ask("both").resolved());
        assertNull(first("hi").resolved(), "the sample has no resolve");
    }

    @Test
    void theReasoningSaysWhoAnsweredAndWhatDecided() {
        EmbeddedEngine named = new EmbeddedEngine(Samples.acme(), GIFT_CARDS, "embedded chatbot acme rev 2");
        BotAnswer intent = named.answer(new BotRequest("acme", 1, "where is my order?", false, null, List.of(), null));
        BotReasoning why = intent.reasoning();
        assertEquals("embedded chatbot acme rev 2", why.bot());
        assertEquals("order_status", why.intent());
        assertTrue(why.confidence() >= IntentClassifier.MIN_CONFIDENCE && why.confidence() <= 1, why.toString());
        assertNull(why.rule(), "an intent is its own reason");
        assertTrue(why.line().matches("embedded chatbot acme rev 2: intent \"order_status\" \\(confidence [01]\\.\\d\\d\\); "
                + "no articles; no tool calls"), why.line());

        BotReasoning keyword = next("HOURS of the order desk?", first("hi")).reasoning();
        assertEquals("keyword \"hours\"", keyword.rule());
        assertNull(keyword.intent());
        assertEquals("embedded bot Acme support", keyword.bot(), "without a name given, the definition's");

        assertEquals("welcome dialog", first("hi").reasoning().rule());
        assertEquals("welcome dialog, then keyword \"hours\"", first("opening hours please").reasoning().rule());
        assertEquals("button \"Opening hours\"", next("1", first("hi")).reasoning().rule());
        assertEquals("fallback (nothing matched)", next("purple elephants dance", first("hi")).reasoning().rule());
    }

    @Test
    void aKnowledgeAnswerNamesItsArticle() {
        BotReasoning why = next("do gift card balances expire", first("hi")).reasoning();
        assertEquals("knowledge article", why.rule());
        assertNull(why.intent(), "the knowledge topic is no intent");
        assertEquals(List.of(new BotReasoning.Article("admin", "gift", "Gift cards", null)), why.articles());
        assertTrue(why.line().endsWith("knowledge article; no intent; articles: admin gift \"Gift cards\"; no tool calls"),
                why.line());
    }
}
