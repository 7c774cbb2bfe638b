package dev.parley.runtime.webhook;

/**
 * An authentic, well-formed event that Parley can never use (a desk ticket no open handoff has). Unlike an
 * unmatched event it makes the webhook answer 422 when nothing else in the batch was accepted: retrying
 * cannot help, so the provider should stop.
 */
public class RejectedEventException extends RuntimeException {
    public RejectedEventException(String reason) {
        super(reason, null, false, false);
    }
}
