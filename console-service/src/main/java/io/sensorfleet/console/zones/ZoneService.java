package io.sensorfleet.console.zones;

import io.sensorfleet.console.platform.ProblemType;
import io.sensorfleet.console.platform.AuditContext;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.sites.Site;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Zones, the unit sensors are assigned to; each belongs to a site. */
@ApplicationScoped
@Transactional
public class ZoneService {
    public record View(UUID id, String name, String description, UUID siteId, Instant createdAt, long sensorCount) {
    }

    private final EntityManager em;
    private final AuditContext audit;
    private final Clock clock;

    ZoneService(EntityManager em, AuditContext audit, Clock clock) {
        this.em = em;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<View> list(UUID siteId) {
        String where = siteId == null ? "" : "where z.siteId = :site ";
        var q = em.createQuery("select z, (select count(s) from Sensor s where s.zoneId = z.id) from Zone z " + where
                + "order by lower(z.name)", Object[].class);
        if (siteId != null) {
            q.setParameter("site", siteId);
        }
        return q.getResultList().stream().map(r -> view((Zone) r[0], (Long) r[1])).toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public View get(UUID id) {
        return view(find(id), sensorCount(id));
    }

    public View create(String name, String description, UUID siteId) {
        if (Site.findById(siteId) == null) {
            throw ProblemException.badRequest("siteId: site " + siteId + " does not exist");
        }
        requireUnique(siteId, name, null);
        Zone z = new Zone();
        z.id = UUID.randomUUID();
        z.name = name.strip();
        z.description = description;
        z.siteId = siteId;
        z.createdAt = clock.instant();
        z.persist();
        audit.target("zone:" + z.id);
        return view(z, 0);
    }

    public View update(UUID id, String name, String description) {
        Zone z = find(id);
        if (name != null) {
            requireUnique(z.siteId, name, id);
            z.name = name.strip();
        }
        if (description != null) {
            z.description = description;
        }
        return view(z, sensorCount(id));
    }

    public void delete(UUID id) {
        Zone z = find(id);
        long assigned = sensorCount(id);
        if (assigned > 0) {
            throw new ProblemException(ProblemType.ZONE_NOT_EMPTY, "zone '" + z.name + "' has " + assigned + " sensor"
                    + (assigned == 1 ? "" : "s") + " assigned; unassign them first");
        }
        em.createNativeQuery("delete from settings_values where scope = 'ZONE' and scope_id = ?1").setParameter(1, id)
                .executeUpdate();
        z.delete();
    }

    private long sensorCount(UUID zoneId) {
        return em.createQuery("select count(s) from Sensor s where s.zoneId = :z", Long.class)
                .setParameter("z", zoneId).getSingleResult();
    }

    private void requireUnique(UUID siteId, String name, UUID except) {
        long same = Zone.count("siteId = ?1 and lower(name) = lower(?2) and id <> ?3", siteId, name.strip(),
                except == null ? new UUID(0, 0) : except);
        if (same > 0) {
            throw new ProblemException(ProblemType.NAME_TAKEN, "the site already has a zone named '" + name.strip() + "'");
        }
    }

    private Zone find(UUID id) {
        Zone z = Zone.findById(id);
        if (z == null) {
            throw ProblemException.notFound("zone", id);
        }
        audit.target("zone:" + id);
        return z;
    }

    private static View view(Zone z, long count) {
        return new View(z.id, z.name, z.description, z.siteId, z.createdAt, count);
    }
}
