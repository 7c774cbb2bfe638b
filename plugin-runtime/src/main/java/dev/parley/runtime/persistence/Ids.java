package dev.parley.runtime.persistence;

/** The one id sequence all entities share (see V1__initial_schema.sql). */
public final class Ids {
    public static final String GENERATOR = "parley_seq";
    public static final String SEQUENCE = "parley_seq";
    /** Must equal the sequence's INCREMENT BY. */
    public static final int ALLOCATION = 50;

    private Ids() {
    }
}
