package io.sensorfleet.console.notifications;

import io.sensorfleet.console.common.Page;
import io.sensorfleet.console.common.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reads recorded notifications; {@link SystemEvents} writes them. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class NotificationService {
    @Inject
    EntityManager em;

    public Page<NotificationView> list(NotificationFilter filter, int page, int size) {
        Map<String, Object> params = new HashMap<>();
        String where = filter.where(params);
        TypedQuery<Notification> q = em.createQuery("select n from Notification n where " + where
                + " order by n.occurredAt desc, n.id", Notification.class);
        TypedQuery<Long> count = em.createQuery("select count(n) from Notification n where " + where, Long.class);
        params.forEach((k, v) -> {
            q.setParameter(k, v);
            count.setParameter(k, v);
        });
        List<NotificationView> items = q.setFirstResult(page * size).setMaxResults(size).getResultList().stream()
                .map(Notification::view).toList();
        return new Page<>(items, page, size, count.getSingleResult());
    }

    public NotificationView get(UUID id) {
        Notification n = Notification.findById(id);
        if (n == null) {
            throw ProblemException.notFound("notification", id);
        }
        return n.view();
    }
}
