package io.sensorfleet.console.web.pages;

import io.sensorfleet.console.sites.SiteService;
import io.sensorfleet.console.zones.ZoneService;

import java.util.List;
import java.util.Objects;

/** The organisation as a tree for the page: business units, their regions, sites and zones. */
public record ZoneTree(List<Unit> units) {
    public record Unit(SiteService.BusinessUnitView unit, List<Region> regions) {
    }

    public record Region(SiteService.RegionView region, List<Site> sites) {
    }

    public record Site(SiteService.SiteView site, List<ZoneService.View> zones) {
    }

    static ZoneTree of(List<SiteService.BusinessUnitView> units, List<SiteService.RegionView> regions,
                       List<SiteService.SiteView> sites, List<ZoneService.View> zones) {
        return new ZoneTree(units.stream().map(u -> new Unit(u, regions.stream()
                .filter(r -> r.businessUnitId().equals(u.id()))
                .map(r -> new Region(r, sites.stream().filter(s -> s.regionId().equals(r.id()))
                        .map(s -> new Site(s, zones.stream().filter(z -> Objects.equals(z.siteId(), s.id())).toList()))
                        .toList()))
                .toList())).toList());
    }
}
