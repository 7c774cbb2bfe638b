package dev.parley.zendesk.sandbox;

import dev.parley.spi.util.Jsons;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The sandbox's Help Center: a few published articles a bot can answer from, plus a draft and one
 * restricted to a user segment, which a correct sync skips. Updated at fixed offsets before the
 * sandbox started, so {@code start_time} filtering is visible.
 */
final class DemoArticles {

    /** The user segment of the restricted article (signed-in agents only, say). */
    static final long RESTRICTED_SEGMENT = 360000000777L;

    record Article(long id, String title, String body, boolean draft, Long userSegmentId, Instant updatedAt) {

        JsonObject toJson(String helpCenter) {
            String slug = title.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
            String at = updatedAt.toString();
            JsonObjectBuilder b = Jsons.BUILDERS.createObjectBuilder()
                    .add("id", id)
                    .add("url", helpCenter + "/api/v2/help_center/en-us/articles/" + id + ".json")
                    .add("html_url", helpCenter + "/hc/en-us/articles/" + id + "-" + slug)
                    .add("title", title)
                    .add("body", body)
                    .add("locale", "en-us")
                    .add("source_locale", "en-us")
                    .add("author_id", ZendeskSandbox.ADMIN_ID)
                    .add("section_id", 360000000100L)
                    .add("draft", draft)
                    .add("promoted", false)
                    .add("outdated", false)
                    .add("position", 0)
                    .add("comments_disabled", false)
                    .add("label_names", Jsons.BUILDERS.createArrayBuilder())
                    .add("created_at", at)
                    .add("updated_at", at)
                    .add("edited_at", at);
            if (userSegmentId == null) b.addNull("user_segment_id");
            else b.add("user_segment_id", userSegmentId);
            return b.build();
        }
    }

    private DemoArticles() {
    }

    static List<Article> seed(Instant now) {
        Instant base = now.truncatedTo(ChronoUnit.SECONDS);
        return List.of(
                new Article(360100000001L, "Opening hours",
                        "<p>Our support team is available Monday to Friday, 9:00 to 18:00 CET, "
                                + "and Saturday 10:00 to 14:00. We are closed on public holidays.</p>",
                        false, null, base.minus(Duration.ofDays(30))),
                new Article(360100000002L, "Returns and refunds",
                        "<p>You can return any item within <strong>30 days</strong> of delivery. "
                                + "Start a return from <em>My orders</em>; refunds reach your card within 5 working days "
                                + "after we receive the item.</p>",
                        false, null, base.minus(Duration.ofDays(7))),
                new Article(360100000003L, "Shipping times and costs",
                        "<p>Standard shipping takes 2-4 working days and is free above 50 EUR (4.90 EUR below). "
                                + "Express shipping arrives the next working day for 9.90 EUR.</p>",
                        false, null, base.minus(Duration.ofDays(1))),
                new Article(360100000004L, "Loyalty programme (draft)",
                        "<p>Not published yet: points for every order.</p>",
                        true, null, base.minus(Duration.ofHours(12))),
                new Article(360100000005L, "Internal: escalation policy",
                        "<p>Agents only: escalate chargebacks to the finance queue.</p>",
                        false, RESTRICTED_SEGMENT, base.minus(Duration.ofHours(2))));
    }
}
