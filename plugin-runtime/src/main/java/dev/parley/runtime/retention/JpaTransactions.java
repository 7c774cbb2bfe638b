package dev.parley.runtime.retention;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.function.Function;

/** {@link Sql.Transactions} on Parley's persistence unit: native statements, one new JTA transaction per unit. */
@ApplicationScoped
public class JpaTransactions implements Sql.Transactions {

    @PersistenceContext(unitName = "parley")
    EntityManager em;

    @Override
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public <T> T inTransaction(Function<Sql, T> work) {
        return work.apply(new Sql() {
            @Override
            public List<Long> ids(String sql, Object... params) {
                @SuppressWarnings("unchecked")
                List<Object> rows = bind(em.createNativeQuery(sql), params).getResultList();
                return rows.stream().map(r -> ((Number) (r instanceof Object[] a ? a[0] : r)).longValue()).toList();
            }

            @Override
            public int update(String sql, Object... params) {
                return bind(em.createNativeQuery(sql), params).executeUpdate();
            }
        });
    }

    private static Query bind(Query q, Object... params) {
        for (int i = 0; i < params.length; i++) {
            q.setParameter(i + 1, params[i]);
        }
        return q;
    }
}
