package dev.parley.runtime.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a JAX-RS resource that is served WITHOUT the admin role. Every other resource needs it
 * ({@code dev.parley.runtime.admin.AdminAuthFilter} decides on the matched resource, never on the path
 * string), so a new endpoint is protected unless it says otherwise here. The public ones authenticate their
 * callers themselves: provider webhooks with the connection's credentials or signatures, sandboxes with the
 * stood-in provider's credentials. {@code why} is read by reviewers, and by the test that lists them.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface PublicEndpoint {

    /** Who authenticates the caller instead, in a few words. */
    String value();
}
