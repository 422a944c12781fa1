package io.sensorfleet.console.zones;

import io.sensorfleet.console.sites.SiteChildren;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/** Zones keep their site from being deleted. */
@ApplicationScoped
class ZonesOfSite implements SiteChildren {
    @Override
    public String kind() {
        return "zone";
    }

    @Override
    public long count(UUID siteId) {
        return Zone.count("siteId", siteId);
    }
}
