package io.sensorfleet.lib.packages;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UpgradePathTest {
    private static UpdateManifest pkg(String version, String... appliesTo) {
        return new UpdateManifest(1, UpdateManifest.PRODUCT, version, List.of(appliesTo), null, false, "a".repeat(64), 1, 30);
    }

    private final UpdateManifest v10 = pkg("10.5.5", "3.1.1", "3.1.x");
    private final UpdateManifest v22 = pkg("22.1.3", "10.5.x");

    @Test
    void a22PackageOn311NamesTheHopThrough1055() {
        assertEquals(Optional.of("10.5.5"), UpgradePath.nextHop("3.1.1", v22, List.of(v10, v22)));
    }

    @Test
    void aPackageThatAppliesNeedsNoHop() {
        assertEquals(Optional.empty(), UpgradePath.nextHop("10.5.5", v22, List.of(v10, v22)));
    }

    @Test
    void noChainNoHop() {
        assertEquals(Optional.empty(), UpgradePath.nextHop("2.0.0", v22, List.of(v10, v22)));
    }

    @Test
    void longerChainsNameTheirFirstStep() {
        UpdateManifest v3 = pkg("3.1.1", "2.0.0");
        assertEquals(Optional.of("3.1.1"), UpgradePath.nextHop("2.0.0", v22, List.of(v3, v10, v22)));
    }
}
