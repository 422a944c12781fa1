package io.sensorfleet.console.sites;

import java.util.UUID;

/**
 * Something that lives inside a site and keeps it from being deleted. Features below sites (zones)
 * provide one, so sites need not know them.
 */
public interface SiteChildren {
    /** What a child is called in messages, singular: {@code zone}. */
    String kind();

    /** How many children the site has. */
    long count(UUID siteId);
}
