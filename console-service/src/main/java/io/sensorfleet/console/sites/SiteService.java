package io.sensorfleet.console.sites;

import io.sensorfleet.console.platform.ProblemType;
import io.sensorfleet.console.platform.AuditContext;
import io.sensorfleet.console.common.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The organisation above zones: business unit → region → site. Names are unique among siblings;
 * a node with children cannot be deleted until they are gone.
 */
@ApplicationScoped
@Transactional
public class SiteService {
    public record BusinessUnitView(UUID id, String name, Instant createdAt) {
    }

    public record RegionView(UUID id, String name, UUID businessUnitId, Instant createdAt) {
    }

    public record SiteView(UUID id, String name, String address, UUID regionId, String regionName,
                           UUID businessUnitId, String businessUnitName, Instant createdAt) {
    }

    private final AuditContext audit;
    private final Clock clock;
    private final Instance<SiteChildren> children;

    SiteService(AuditContext audit, Clock clock, Instance<SiteChildren> children) {
        this.audit = audit;
        this.clock = clock;
        this.children = children;
    }

    // ---- business units

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<BusinessUnitView> businessUnits() {
        return BusinessUnit.<BusinessUnit>list("order by lower(name)").stream().map(SiteService::view).toList();
    }

    public BusinessUnitView createBusinessUnit(String name) {
        requireUnique(BusinessUnit.count("lower(name) = lower(?1)", name.strip()), "business unit", name);
        BusinessUnit b = new BusinessUnit();
        b.id = UUID.randomUUID();
        b.name = name.strip();
        b.createdAt = clock.instant();
        b.persist();
        audit.target("business-unit:" + b.id);
        return view(b);
    }

    public BusinessUnitView renameBusinessUnit(UUID id, String name) {
        BusinessUnit b = find(BusinessUnit.findById(id), "business unit", id);
        requireUnique(BusinessUnit.count("lower(name) = lower(?1) and id <> ?2", name.strip(), id), "business unit", name);
        b.name = name.strip();
        return view(b);
    }

    public void deleteBusinessUnit(UUID id) {
        BusinessUnit b = find(BusinessUnit.findById(id), "business unit", id);
        requireEmpty(Region.count("businessUnitId", id), "business unit", "region");
        b.delete();
    }

    // ---- regions

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<RegionView> regions(UUID businessUnitId) {
        List<Region> list = businessUnitId == null ? Region.list("order by lower(name)")
                : Region.list("businessUnitId = ?1 order by lower(name)", businessUnitId);
        return list.stream().map(SiteService::view).toList();
    }

    public RegionView createRegion(String name, UUID businessUnitId) {
        if (BusinessUnit.findById(businessUnitId) == null) {
            throw ProblemException.badRequest("businessUnitId: business unit " + businessUnitId + " does not exist");
        }
        requireUnique(Region.count("businessUnitId = ?1 and lower(name) = lower(?2)", businessUnitId, name.strip()),
                "region", name);
        Region r = new Region();
        r.id = UUID.randomUUID();
        r.name = name.strip();
        r.businessUnitId = businessUnitId;
        r.createdAt = clock.instant();
        r.persist();
        audit.target("region:" + r.id);
        return view(r);
    }

    public RegionView renameRegion(UUID id, String name) {
        Region r = find(Region.findById(id), "region", id);
        requireUnique(Region.count("businessUnitId = ?1 and lower(name) = lower(?2) and id <> ?3", r.businessUnitId,
                name.strip(), id), "region", name);
        r.name = name.strip();
        return view(r);
    }

    public void deleteRegion(UUID id) {
        Region r = find(Region.findById(id), "region", id);
        requireEmpty(Site.count("regionId", id), "region", "site");
        r.delete();
    }

    // ---- sites

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<SiteView> sites(UUID regionId) {
        List<Site> list = regionId == null ? Site.list("order by lower(name)")
                : Site.list("regionId = ?1 order by lower(name)", regionId);
        Map<UUID, Region> regions = Region.<Region>listAll().stream().collect(Collectors.toMap(r -> r.id, Function.identity()));
        Map<UUID, BusinessUnit> units = BusinessUnit.<BusinessUnit>listAll().stream()
                .collect(Collectors.toMap(b -> b.id, Function.identity()));
        return list.stream().map(s -> view(s, regions.get(s.regionId), units)).toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public SiteView site(UUID id) {
        Site s = find(Site.findById(id), "site", id);
        Region r = Region.findById(s.regionId);
        return view(s, r, Map.of(r.businessUnitId, BusinessUnit.findById(r.businessUnitId)));
    }

    public SiteView createSite(String name, String address, UUID regionId) {
        if (Region.findById(regionId) == null) {
            throw ProblemException.badRequest("regionId: region " + regionId + " does not exist");
        }
        requireUnique(Site.count("regionId = ?1 and lower(name) = lower(?2)", regionId, name.strip()), "site", name);
        Site s = new Site();
        s.id = UUID.randomUUID();
        s.name = name.strip();
        s.address = address;
        s.regionId = regionId;
        s.createdAt = clock.instant();
        s.persist();
        audit.target("site:" + s.id);
        return site(s.id);
    }

    public SiteView updateSite(UUID id, String name, String address) {
        Site s = find(Site.findById(id), "site", id);
        if (name != null) {
            requireUnique(Site.count("regionId = ?1 and lower(name) = lower(?2) and id <> ?3", s.regionId,
                    name.strip(), id), "site", name);
            s.name = name.strip();
        }
        if (address != null) {
            s.address = address;
        }
        return site(id);
    }

    public void deleteSite(UUID id) {
        Site s = find(Site.findById(id), "site", id);
        for (SiteChildren c : children) {
            requireEmpty(c.count(id), "site", c.kind());
        }
        Site.getEntityManager().createNativeQuery("delete from settings_values where scope = 'SITE' and scope_id = ?1")
                .setParameter(1, id).executeUpdate();
        s.delete();
    }

    private <T> T find(T found, String what, UUID id) {
        if (found == null) {
            throw ProblemException.notFound(what, id);
        }
        audit.target(what.replace(' ', '-') + ":" + id);
        return found;
    }

    private static void requireUnique(long existing, String what, String name) {
        if (existing > 0) {
            throw new ProblemException(ProblemType.NAME_TAKEN, "a " + what + " named '" + name.strip() + "' already exists here");
        }
    }

    private static void requireEmpty(long children, String what, String child) {
        if (children > 0) {
            throw new ProblemException(ProblemType.NOT_EMPTY, "the " + what + " still has " + children + " " + child
                    + (children == 1 ? "" : "s") + "; delete or move them first");
        }
    }

    private static BusinessUnitView view(BusinessUnit b) {
        return new BusinessUnitView(b.id, b.name, b.createdAt);
    }

    private static RegionView view(Region r) {
        return new RegionView(r.id, r.name, r.businessUnitId, r.createdAt);
    }

    private static SiteView view(Site s, Region r, Map<UUID, BusinessUnit> units) {
        BusinessUnit b = units.get(r.businessUnitId);
        return new SiteView(s.id, s.name, s.address, r.id, r.name, b.id, b.name, s.createdAt);
    }
}
