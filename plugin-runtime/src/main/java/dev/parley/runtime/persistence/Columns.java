package dev.parley.runtime.persistence;

/** Fitting free text (provider errors, log lines) into the VARCHAR columns of V1__initial_schema.sql. */
public final class Columns {

    public static final int ERROR = 2000;
    public static final int DETAIL = 4000;

    private Columns() {
    }

    /** {@code s} cut to {@code max} characters; null stays null. */
    public static String fit(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
