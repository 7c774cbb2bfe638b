package dev.parley.hubspot;

import dev.parley.hubspot.sandbox.HubSpotSandboxConnection;
import dev.parley.spi.ConfigField;
import dev.parley.spi.Connection;
import dev.parley.spi.ConnectionContext;
import dev.parley.spi.Connector;

import java.util.List;

/**
 * {@code hubspot}: HubSpot as Parley's handoff desk. A handoff becomes a ticket in the configured pipeline and stage
 * (one per session), associated with the customer's contact (found by email or phone, or created), with the
 * transcript in the ticket and an internal note with the summary. {@code base-url=sandbox} runs against a built-in
 * stand-in.
 */
public final class HubSpotConnector implements Connector {

    public static final String TYPE = "hubspot";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "HubSpot: handoffs to tickets with the transcript, the customer's contact and an internal note";
    }

    @Override
    public List<ConfigField> configFields() {
        return HubSpotSettings.fields();
    }

    @Override
    public Connection open(ConnectionContext context) {
        HubSpotSettings settings = HubSpotSettings.from(context);
        return settings.sandbox() ? new HubSpotSandboxConnection(context, settings)
                : new HubSpotConnection(context, settings);
    }
}
