package dev.parley.runtime.bot;

import java.util.ArrayList;
import java.util.List;

/**
 * Text channels have no buttons: a message's buttons become numbered lines the customer can answer with
 * the number or the caption (the embedded bot maps both back). Action URLs are shown after their caption.
 */
public final class ButtonRendering {

    private ButtonRendering() {
    }

    public static List<String> render(List<BotMessage> messages) {
        List<String> out = new ArrayList<>(messages.size());
        for (BotMessage m : messages) {
            StringBuilder text = new StringBuilder(m.text() == null ? "" : m.text());
            int n = 1;
            for (BotButton b : m.buttons()) {
                text.append(text.length() == 0 ? "" : "\n").append(n++).append(") ").append(b.caption());
                if (b.url() != null && !b.url().isBlank()) {
                    text.append(": ").append(b.url());
                }
            }
            if (text.length() > 0) {
                out.add(text.toString());
            }
        }
        return out;
    }
}
