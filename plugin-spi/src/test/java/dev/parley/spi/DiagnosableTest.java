package dev.parley.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiagnosableTest {

    private static ProviderSetup checking(java.util.function.Supplier<ProviderSetup.SetupStatus> check) {
        return new ProviderSetup() {
            public SetupStatus check() { return check.get(); }
            public SetupStatus register() { throw new AssertionError("the doctor must not register"); }
            public SetupStatus unregister() { throw new AssertionError("the doctor must not unregister"); }
        };
    }

    @Test
    void aCompleteSetupIsOkWithItsItems() {
        Finding f = Diagnosable.setupFinding(checking(() -> new ProviderSetup.SetupStatus(true,
                List.of("webhook 1: active"), Map.of())), "x.setup", "missing", "register");
        assertEquals(Finding.Severity.OK, f.severity());
        assertEquals("webhook 1: active", f.symptom());
    }

    @Test
    void anIncompleteSetupIsAnErrorWithItsItemsAsTheCause() {
        Finding f = Diagnosable.setupFinding(checking(() -> new ProviderSetup.SetupStatus(false,
                List.of("webhook: missing", "trigger: inactive"), Map.of())), "x.setup", "no events", "POST setup");
        assertEquals(Finding.Severity.ERROR, f.severity());
        assertEquals("x.setup", f.check());
        assertEquals("no events", f.symptom());
        assertEquals("webhook: missing; trigger: inactive", f.cause());
        assertEquals("POST setup", f.fix());
    }

    @Test
    void aFailingCheckIsAFindingNotAnException() {
        Finding f = Diagnosable.setupFinding(checking(() -> {
            throw new PermanentException("HTTP 401 bad credentials");
        }), "x.setup", "no events", "POST setup");
        assertEquals(Finding.Severity.ERROR, f.severity());
        assertTrue(f.cause().contains("401"), f.cause());
    }

    @Test
    void aFindingNeedsSeverityAndCheckAndHasNoNullTexts() {
        assertThrows(NullPointerException.class, () -> new Finding(null, "c", "", "", ""));
        Finding f = new Finding(Finding.Severity.INFO, "c", null, null, null);
        assertEquals("", f.symptom() + f.cause() + f.fix());
    }
}
