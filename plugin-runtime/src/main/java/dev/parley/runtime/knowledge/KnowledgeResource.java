package dev.parley.runtime.knowledge;

import dev.parley.runtime.web.Problems;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Admin API for knowledge articles: what the bots answer from, and a search to try it. */
@ApplicationScoped
@Path("/api/knowledge")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "knowledge")
@SecurityRequirement(name = "admin")
public class KnowledgeResource {

    @Inject
    KnowledgeService knowledge;

    public record ArticleView(String source, String articleId, String locale, String title, String url, OffsetDateTime updatedAt) {
    }

    public record ArticleRequest(String title, String body, String locale, String url) {
    }

    @GET
    @Path("articles")
    @Operation(summary = "Stored articles, optionally of one source")
    public List<ArticleView> list(@QueryParam("source") String source) {
        return knowledge.list(source).stream()
                .map(a -> new ArticleView(a.source(), a.articleId(), a.locale(), a.title(), a.url(), a.updatedAt())).toList();
    }

    @PUT
    @Path("articles/{source}/{articleId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add or replace an article (sources other than connectors, e.g. 'admin')")
    public Response put(@PathParam("source") String source, @PathParam("articleId") String articleId, ArticleRequest a) {
        if (a == null || a.title() == null || a.title().isBlank() || a.body() == null || a.body().isBlank()) {
            return Problems.response(400, "title and body are required");
        }
        knowledge.put(new KnowledgeArticle(source, articleId, a.locale(), a.title(), a.body(), a.url()));
        return Response.noContent().build();
    }

    @DELETE
    @Path("articles/{source}/{articleId}")
    @Operation(summary = "Remove an article")
    public Response delete(@PathParam("source") String source, @PathParam("articleId") String articleId) {
        return knowledge.remove(source, articleId) ? Response.noContent().build()
                : Problems.response(404, "no article " + Problems.clip(source) + "/" + Problems.clip(articleId));
    }

    @GET
    @Path("search")
    @Operation(summary = "What the bots would find for a question")
    public List<KnowledgeHit> search(@QueryParam("q") String q, @QueryParam("language") String language,
                                     @QueryParam("max") @DefaultValue("3") int max) {
        return q == null || q.isBlank() ? List.of() : knowledge.search(q, language, Math.max(1, Math.min(max, 10)));
    }
}
