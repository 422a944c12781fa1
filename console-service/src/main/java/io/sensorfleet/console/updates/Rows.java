package io.sensorfleet.console.updates;

import jakarta.persistence.EntityManager;

import java.util.ArrayList;
import java.util.List;

/** Native queries with positional parameters, every row as an array (a one-column row too). */
final class Rows {
    private Rows() {
    }

    @SuppressWarnings("unchecked")
    static List<Object[]> of(EntityManager em, String sql, Object... params) {
        var q = em.createNativeQuery(sql);
        for (int i = 0; i < params.length; i++) {
            q.setParameter(i + 1, params[i]);
        }
        List<Object> raw = q.getResultList();
        List<Object[]> out = new ArrayList<>();
        for (Object o : raw) {
            out.add(o instanceof Object[] a ? a : new Object[]{o});
        }
        return out;
    }
}
