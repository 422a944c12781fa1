package io.sensorfleet.console.maintenance;

import io.sensorfleet.console.platform.ProblemType;
import io.sensorfleet.console.common.Page;
import io.sensorfleet.console.common.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import org.hibernate.exception.ConstraintViolationException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Opens, extends and closes maintenance windows, and tells notifications which windows are open.
 * A ticket id has at most one open window (a partial unique index makes concurrent opens safe).
 */
@ApplicationScoped
@Transactional
public class MaintenanceWindows {
    /** Marks a window closed because its time ran out rather than by an operator. */
    private static final String EXPIRED_ACTOR = "(ttl)";

    /** What to open. */
    public record Spec(String ticketId, Duration ttl, List<UUID> sensorIds, List<String> engines) {
    }

    /** List filter; every field optional. */
    public record Filter(MaintenanceWindowView.State state, String ticketId, UUID sensorId, Instant from, Instant to) {
    }

    private final EntityManager em;
    private final Clock clock;
    private final MaintenanceConfig config;

    MaintenanceWindows(EntityManager em, Clock clock, MaintenanceConfig config) {
        this.em = em;
        this.clock = clock;
        this.config = config;
    }

    public MaintenanceWindowView open(Spec spec, String actor) {
        String ticket = spec.ticketId().strip();
        checkTtl(spec.ttl());
        Set<UUID> sensors = new LinkedHashSet<>(spec.sensorIds());
        List<UUID> unknown = unknownSensors(sensors);
        if (!unknown.isEmpty()) {
            throw ProblemException.badRequest("sensorIds: no such sensor " + unknown.stream().map(UUID::toString)
                    .collect(Collectors.joining(", ")));
        }
        Instant now = clock.instant();
        expireRunOut(ticket, now);
        if (MaintenanceWindow.count("ticketId = ?1 and closedAt is null", ticket) > 0) {
            throw alreadyOpen(ticket);
        }
        MaintenanceWindow w = new MaintenanceWindow();
        w.id = UUID.randomUUID();
        w.ticketId = ticket;
        w.sensorIds = sensors.toArray(UUID[]::new);
        w.engines = spec.engines() == null ? new String[0]
                : spec.engines().stream().map(String::strip).distinct().toArray(String[]::new);
        w.openedAt = now;
        w.openedBy = actor;
        w.endsAt = now.plus(spec.ttl());
        try {
            w.persist();
            log(w, MaintenanceWindowEntry.Action.OPENED, actor, now);
            em.flush();
        } catch (ConstraintViolationException e) {
            // Another request opened a window for this ticket between the check and the insert.
            throw alreadyOpen(ticket);
        }
        return view(w, now, history(List.of(w.id)));
    }

    /** Sets the open window of {@code ticketId} to end {@code ttl} from now. */
    public MaintenanceWindowView extend(String ticketId, Duration ttl, String actor) {
        checkTtl(ttl);
        Instant now = clock.instant();
        MaintenanceWindow w = openWindow(ticketId, now);
        w.endsAt = now.plus(ttl);
        log(w, MaintenanceWindowEntry.Action.EXTENDED, actor, now);
        return view(w, now, history(List.of(w.id)));
    }

    public MaintenanceWindowView close(String ticketId, String actor) {
        Instant now = clock.instant();
        MaintenanceWindow w = openWindow(ticketId, now);
        w.closedAt = now;
        w.closedBy = actor;
        w.endsAt = now;
        log(w, MaintenanceWindowEntry.Action.CLOSED, actor, now);
        return view(w, now, history(List.of(w.id)));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Page<MaintenanceWindowView> list(Filter filter, int page, int size) {
        Instant now = clock.instant();
        List<String> and = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        if (filter.state() != null) {
            and.add(switch (filter.state()) {
                case OPEN -> "w.closedAt is null and w.endsAt > :now";
                case EXPIRED -> "((w.closedAt is null and w.endsAt <= :now) or (w.closedAt is not null and w.closedBy = '"
                        + EXPIRED_ACTOR + "'))";
                case CLOSED -> "w.closedAt is not null and w.closedBy <> '" + EXPIRED_ACTOR + "'";
            });
            params.put("now", now);
        }
        if (filter.ticketId() != null && !filter.ticketId().isBlank()) {
            and.add("w.ticketId = :ticket");
            params.put("ticket", filter.ticketId().strip());
        }
        if (filter.sensorId() != null) {
            and.add("array_contains(w.sensorIds, :sensor)");
            params.put("sensor", filter.sensorId());
        }
        if (filter.from() != null) {
            and.add("coalesce(w.closedAt, w.endsAt) >= :from");
            params.put("from", filter.from());
        }
        if (filter.to() != null) {
            and.add("w.openedAt <= :to");
            params.put("to", filter.to());
        }
        String where = and.isEmpty() ? "" : " where " + String.join(" and ", and);
        TypedQuery<MaintenanceWindow> q = em.createQuery("select w from MaintenanceWindow w" + where
                + " order by w.openedAt desc, w.id", MaintenanceWindow.class);
        TypedQuery<Long> count = em.createQuery("select count(w) from MaintenanceWindow w" + where, Long.class);
        params.forEach((k, v) -> {
            q.setParameter(k, v);
            count.setParameter(k, v);
        });
        List<MaintenanceWindow> windows = q.setFirstResult(page * size).setMaxResults(size).getResultList();
        Map<UUID, List<MaintenanceWindowView.HistoryEntry>> history = history(windows.stream().map(w -> w.id).toList());
        return new Page<>(windows.stream().map(w -> view(w, now, history)).toList(), page, size, count.getSingleResult());
    }

    /**
     * The windows open at {@code now}, for notifications to check against. Few are open at a time,
     * so they are read whole and matched in memory.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<OpenWindow> openWindows(Instant now) {
        return MaintenanceWindow.<MaintenanceWindow>list("closedAt is null and endsAt > ?1", now).stream()
                .map(w -> new OpenWindow(w.ticketId, Set.of(w.sensorIds),
                        Arrays.stream(w.engines).map(e -> e.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet())))
                .toList();
    }

    private MaintenanceWindow openWindow(String ticketId, Instant now) {
        String ticket = ticketId.strip();
        expireRunOut(ticket, now);
        MaintenanceWindow w = MaintenanceWindow.find("ticketId = ?1 and closedAt is null", ticket).firstResult();
        if (w == null) {
            throw ProblemException.notFound("open maintenance window for ticket", ticket);
        }
        return w;
    }

    /** Stamps windows of this ticket whose time ran out, so the ticket can be used again. */
    private void expireRunOut(String ticket, Instant now) {
        List<MaintenanceWindow> runOut = MaintenanceWindow.list("ticketId = ?1 and closedAt is null and endsAt <= ?2",
                ticket, now);
        for (MaintenanceWindow w : runOut) {
            w.closedAt = w.endsAt;
            w.closedBy = EXPIRED_ACTOR;
            log(w, MaintenanceWindowEntry.Action.EXPIRED, EXPIRED_ACTOR, w.endsAt);
        }
        if (!runOut.isEmpty()) {
            em.flush();
        }
    }

    private void checkTtl(Duration ttl) {
        if (ttl.compareTo(Duration.ofMinutes(1)) < 0 || ttl.compareTo(config.maxTtl()) > 0) {
            throw ProblemException.badRequest("ttlMinutes: must be between 1 and " + config.maxTtl().toMinutes());
        }
    }

    private List<UUID> unknownSensors(Set<UUID> ids) {
        Set<UUID> known = new java.util.HashSet<>(em.createQuery("select s.id from Sensor s where s.id in :ids", UUID.class)
                .setParameter("ids", ids).getResultList());
        return ids.stream().filter(id -> !known.contains(id)).toList();
    }

    private static void log(MaintenanceWindow w, MaintenanceWindowEntry.Action action, String actor, Instant at) {
        MaintenanceWindowEntry e = new MaintenanceWindowEntry();
        e.windowId = w.id;
        e.at = at;
        e.action = action;
        e.actor = actor;
        e.endsAt = w.endsAt;
        e.persist();
    }

    private Map<UUID, List<MaintenanceWindowView.HistoryEntry>> history(List<UUID> windowIds) {
        Map<UUID, List<MaintenanceWindowView.HistoryEntry>> byWindow = new HashMap<>();
        if (windowIds.isEmpty()) {
            return byWindow;
        }
        MaintenanceWindowEntry.<MaintenanceWindowEntry>list("windowId in ?1 order by at, id", windowIds)
                .forEach(e -> byWindow.computeIfAbsent(e.windowId, k -> new ArrayList<>())
                        .add(new MaintenanceWindowView.HistoryEntry(e.at, e.action, e.actor, e.endsAt)));
        return byWindow;
    }

    private static MaintenanceWindowView view(MaintenanceWindow w, Instant now,
                                              Map<UUID, List<MaintenanceWindowView.HistoryEntry>> history) {
        MaintenanceWindowView.State state;
        if (w.closedAt == null) {
            state = w.endsAt.isAfter(now) ? MaintenanceWindowView.State.OPEN : MaintenanceWindowView.State.EXPIRED;
        } else {
            state = EXPIRED_ACTOR.equals(w.closedBy) ? MaintenanceWindowView.State.EXPIRED : MaintenanceWindowView.State.CLOSED;
        }
        return new MaintenanceWindowView(w.id, w.ticketId, state, List.of(w.sensorIds), List.of(w.engines), w.openedAt,
                w.openedBy, w.endsAt, w.closedAt, EXPIRED_ACTOR.equals(w.closedBy) ? null : w.closedBy,
                history.getOrDefault(w.id, List.of()));
    }

    private static ProblemException alreadyOpen(String ticket) {
        return new ProblemException(ProblemType.MAINTENANCE_WINDOW_OPEN,
                "ticket " + ticket + " already has an open maintenance window; extend or close it instead");
    }
}
