package dev.parley.runtime.bot.embedded;

/** A bot definition that cannot be read: bad YAML/JSON syntax, an unknown key or a value of the wrong kind. */
public class DefinitionException extends IllegalArgumentException {

    private final int line;
    private final int column;

    /**
     * @param line   1-based line of the problem, 0 when unknown
     * @param column 1-based column of the problem, 0 when unknown
     */
    public DefinitionException(String message, int line, int column) {
        super(line > 0 ? message + " (line " + line + ", column " + column + ")" : message);
        this.line = line;
        this.column = column;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
