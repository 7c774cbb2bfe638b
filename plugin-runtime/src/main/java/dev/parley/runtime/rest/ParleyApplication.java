package dev.parley.runtime.rest;

import dev.parley.runtime.admin.AdminAuthFilter;
import dev.parley.runtime.admin.ConnectionsResource;
import dev.parley.runtime.admin.SessionsResource;
import dev.parley.runtime.sandbox.SandboxConsoleResource;
import dev.parley.runtime.sandbox.SandboxResource;
import dev.parley.runtime.web.PingResource;
import dev.parley.runtime.web.RequestBodyLimit;
import dev.parley.runtime.web.UnexpectedErrorMapper;
import dev.parley.runtime.webhook.WebhookResource;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/**
 * Parley's JAX-RS application. Classes are listed explicitly: the runtime is a library jar (EAR
 * {@code lib/} or {@code WEB-INF/lib}), where annotation scanning differs between packagings.
 * parley-war's web.xml maps it at {@code /}.
 */
@ApplicationPath("/")
@OpenAPIDefinition(info = @Info(title = "Parley", version = "0.1",
        description = "Webhooks for providers, and the admin API (HTTP Basic) for operators"))
@SecurityScheme(securitySchemeName = "admin", type = SecuritySchemeType.HTTP, scheme = "basic")
public class ParleyApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(PingResource.class, WebhookResource.class, SandboxResource.class, SandboxConsoleResource.class,
                ConnectionsResource.class, SessionsResource.class,
                dev.parley.runtime.chatbot.ChatbotsResource.class, dev.parley.runtime.knowledge.KnowledgeResource.class,
                dev.parley.runtime.media.MediaAdminResource.class, dev.parley.runtime.media.MediaResource.class,
                dev.parley.runtime.doctor.DoctorResource.class,
                dev.parley.runtime.console.ConsoleResource.class, dev.parley.runtime.openapi.OpenApiResource.class,
                RequestBodyLimit.class, AdminAuthFilter.class, UnexpectedErrorMapper.class);
    }
}
