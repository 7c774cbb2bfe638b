package dev.parley.spi;

import java.util.List;

/**
 * A capability: the connection runs its own troubleshooting checks (is the subscription there, does the configured
 * pipeline still exist) and answers them as {@link Finding}s for the runtime's doctor ({@code GET /api/doctor}).
 * The runtime asks with {@link Connection#capability}, only of a running connection.
 *
 * <p>Contract:
 * <ul>
 * <li><b>Read-only</b>: changes nothing here or at the provider (no repair, no message, no registration).</li>
 * <li><b>Cheap</b>: uses what the connection already knows, or a few read calls to the provider; an operator may
 *     call the doctor often.</li>
 * <li><b>Never throws</b>: a failing call is itself a finding (usually {@link Finding.Severity#ERROR} with the
 *     provider's reason); the runtime still catches what escapes and reports it as one.</li>
 * <li><b>No secrets</b>: findings name settings ({@code api-key}), never their values.</li>
 * </ul>
 */
public interface Diagnosable {

    /** The connection's findings, passed checks included (as {@link Finding.Severity#OK}). */
    List<Finding> diagnose();

    /**
     * The findings of a {@link ProviderSetup#check()}: OK when complete, else an ERROR with its items and
     * {@code fix}; a failed check (the provider refused or was unreachable) as an ERROR with its reason.
     *
     * @param check   the finding's id, e.g. {@code conversations.subscription}
     * @param missing the symptom when incomplete, in the operator's words
     * @param fix     what to do when incomplete
     */
    static Finding setupFinding(ProviderSetup setup, String check, String missing, String fix) {
        try {
            ProviderSetup.SetupStatus s = setup.check();
            return s.complete() ? Finding.ok(check, String.join("; ", s.items()))
                    : Finding.error(check, missing, String.join("; ", s.items()), fix);
        } catch (RuntimeException e) {
            return Finding.error(check, "Parley could not check what the provider holds for it",
                    String.valueOf(e.getMessage()), "check the connection's credentials and that the provider is "
                            + "reachable (POST /api/connections/<id>/verify), then ask the doctor again");
        }
    }
}
