package dev.parley.runtime.connection;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;

/**
 * Finds the ids of configured connections and agents. Property names are scanned
 * ({@code parley.connection.<id>.type}); environment variables can only be found by their upper-case
 * form ({@code PARLEY_CONNECTION_<ID>_TYPE}), so those ids are read back in lower case with '_'.
 */
public final class ConfigScanner {

    private ConfigScanner() {
    }

    public static Set<String> ids(Config config, String kind, String marker) {
        Pattern dotted = Pattern.compile("parley\\." + kind + "\\.([^.]+)\\." + Pattern.quote(marker));
        Pattern env = Pattern.compile("PARLEY_" + kind.toUpperCase(Locale.ROOT) + "_(.+)_"
                + marker.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"));
        Set<String> ids = new TreeSet<>();
        for (String name : config.getPropertyNames()) {
            Matcher m = dotted.matcher(name);
            if (m.matches()) {
                ids.add(m.group(1));
                continue;
            }
            Matcher e = env.matcher(name);
            if (e.matches()) {
                ids.add(e.group(1).toLowerCase(Locale.ROOT));
            }
        }
        return ids;
    }
}
