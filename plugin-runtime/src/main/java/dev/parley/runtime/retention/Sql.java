package dev.parley.runtime.retention;

import java.util.List;

/** The few statements a purge needs, run inside one short transaction (see {@link Transactions}). */
public interface Sql {

    /** The first column of every row, as longs. */
    List<Long> ids(String sql, Object... params);

    /** Rows changed. */
    int update(String sql, Object... params);

    /** Runs each unit of work in a transaction of its own, committed before the call returns. */
    interface Transactions {
        <T> T inTransaction(java.util.function.Function<Sql, T> work);
    }
}
