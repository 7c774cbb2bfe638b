package dev.parley.runtime.logging;

import java.util.Arrays;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Adds the thread's {@link LogContext} to every record logged under {@code dev.parley} (runtime and connectors) on its
 * way to the server's handlers: the message gets the prefix {@code [connection=sms session=42]}, and the ids go in as
 * a map parameter, which Payara's JSON formatter writes as the fields {@code connection} and {@code session}.
 *
 * <p>It writes nothing itself. Handlers run in the logging thread, child loggers' before their parents', so this one,
 * on the {@code dev.parley} logger, sees each record before the root's handlers format it (perhaps on another
 * thread, where the context would be gone).
 */
public class ContextLogHandler extends Handler {

    /** The parent logger of all Parley code; held here because the LogManager keeps loggers only weakly. */
    private static final Logger PARLEY = Logger.getLogger("dev.parley");
    private static final ContextLogHandler INSTANCE = new ContextLogHandler();
    /** A MessageFormat placeholder, which formatters fill in only when the record has parameters. */
    private static final java.util.regex.Pattern PLACEHOLDER = java.util.regex.Pattern.compile("\\{\\d");

    ContextLogHandler() {
        setLevel(Level.ALL);
    }

    /** Installs the handler (once), at start-up. */
    public static synchronized void install() {
        if (!Arrays.asList(PARLEY.getHandlers()).contains(INSTANCE)) {
            PARLEY.addHandler(INSTANCE);
        }
    }

    /** Removes it when the application stops, so a redeployed one does not keep this class loader alive. */
    public static synchronized void uninstall() {
        PARLEY.removeHandler(INSTANCE);
    }

    @Override
    public void publish(LogRecord record) {
        LogContext.current().ifPresent(ids -> tag(record, ids));
    }

    /**
     * Prefixes the message with the ids and adds them as a map parameter. A message that is a resource bundle key
     * keeps its text (only the parameter is added); one containing a placeholder ({@code "{0"}) without parameters gets no parameter,
     * since Payara's formatters would then run it through MessageFormat. A record tagged already is left alone.
     */
    static void tag(LogRecord record, LogContext.Ids ids) {
        String message = record.getMessage();
        if (message != null && message.startsWith("[connection=")) {
            return;
        }
        if (record.getResourceBundle() == null) {
            record.setMessage(ids.prefix() + " " + (message == null ? "" : message));
        }
        Object[] parameters = record.getParameters();
        if (parameters == null && message != null && PLACEHOLDER.matcher(message).find()) {
            return;
        }
        Object[] tagged = parameters == null ? new Object[1] : Arrays.copyOf(parameters, parameters.length + 1);
        tagged[tagged.length - 1] = ids.fields();
        record.setParameters(tagged);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
