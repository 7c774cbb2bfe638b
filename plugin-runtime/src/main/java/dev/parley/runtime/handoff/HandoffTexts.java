package dev.parley.runtime.handoff;

import dev.parley.runtime.agent.AgentDefinition;
import java.time.OffsetDateTime;
import java.util.Locale;

/** What the customer is told once a human has the conversation, depending on office hours. */
public final class HandoffTexts {

    private HandoffTexts() {
    }

    public static String confirmation(AgentDefinition agent, OffsetDateTime now) {
        if (agent.officeHours() == null || agent.officeHours().isBlank()) {
            return agent.texts().handoffConfirmed();
        }
        OfficeHours hours = OfficeHours.parse(agent.officeHours(), agent.officeZone());
        if (hours.isOpen(now.toInstant())) {
            return agent.texts().handoffConfirmed();
        }
        return agent.texts().officeClosed().replace("{when}", hours.describeNextOpening(now.toInstant(), Locale.ENGLISH));
    }
}
