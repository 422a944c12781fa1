package io.sensorfleet.console.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;

import java.util.Optional;

/**
 * The first start of a console. The key is {@code sensorfleet.admin-password} (env
 * SENSORFLEET_ADMIN_PASSWORD), not under {@code sensorfleet.auth}, because installers and scripts
 * set it by that name; the mapping's prefix is the key itself so that it claims no other
 * {@code sensorfleet.*} key.
 */
@ConfigMapping(prefix = "sensorfleet.admin-password")
public interface AdminBootstrapConfig {
    /**
     * Password of the {@code admin} account created at the very first start, when no user exists.
     * Without it a password is generated and written once to {@code <data-dir>/initial-admin-password}.
     */
    @WithParentName
    Optional<String> adminPassword();
}
