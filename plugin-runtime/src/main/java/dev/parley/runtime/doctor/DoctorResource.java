package dev.parley.runtime.doctor;

import dev.parley.runtime.web.Problems;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /api/doctor}: the troubleshooting checks, run now. Admin-only like every {@code /api} resource. */
@ApplicationScoped
@Path("/api/doctor")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "doctor")
@SecurityRequirement(name = "admin")
public class DoctorResource {

    @Inject
    Doctor doctor;

    @GET
    @Operation(summary = "Run the troubleshooting checks: per connection its state and findings (symptom, cause, fix), "
            + "plus runtime-wide findings; connection=<id> for one connection only")
    public Response examine(@QueryParam("connection") String connection) {
        if (connection == null || connection.isBlank()) {
            return Response.ok(doctor.examine()).build();
        }
        return doctor.examine(connection)
                .map(r -> Response.ok(new DoctorReport(OffsetDateTime.now(), r.worst(), List.of(), List.of(r))).build())
                .orElseGet(() -> Problems.response(404, "no connection '" + Problems.clip(connection) + "'"));
    }
}
