package io.sensorfleet.lib.packages;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UpdateManifestTest {
    private static final String SHA = "a".repeat(64);

    @Test
    void parsesWhatItWrites() throws Exception {
        UpdateManifest m = new UpdateManifest(1, UpdateManifest.PRODUCT, "10.5.5", List.of("3.1.1"), null, true, SHA, 10, 60);
        assertEquals(m, UpdateManifest.parse(m.toBytes()));
    }

    @Test
    void malformedManifestNamesTheField() {
        PackageException e = assertThrows(PackageException.class, () -> UpdateManifest.parse(
                ("{\"format\":1,\"product\":\"sensorfleet-sensor\",\"version\":\"../x\",\"appliesTo\":[],"
                        + "\"requiresNewActivation\":false,\"payloadSha256\":\"" + SHA + "\",\"payloadSize\":1,"
                        + "\"healthcheckTimeoutSeconds\":30}").getBytes(StandardCharsets.UTF_8)));
        assertEquals(PackageException.Kind.MALFORMED_MANIFEST, e.kind());
        assertTrue(e.getMessage().contains("version:"), e.getMessage());
        assertTrue(e.getMessage().contains("appliesTo or minimumFrom"), e.getMessage());
    }

    @Test
    void notJsonAndUnknownFieldsAreMalformed() {
        assertEquals(PackageException.Kind.MALFORMED_MANIFEST, assertThrows(PackageException.class,
                () -> UpdateManifest.parse("not json".getBytes(StandardCharsets.UTF_8))).kind());
        assertEquals(PackageException.Kind.MALFORMED_MANIFEST, assertThrows(PackageException.class,
                () -> UpdateManifest.parse("{\"format\":1,\"surprise\":true}".getBytes(StandardCharsets.UTF_8))).kind());
    }

    @Test
    void appliesToListedVersionsPrefixesAndMinimumButNeverDowngrades() {
        UpdateManifest listed = new UpdateManifest(1, UpdateManifest.PRODUCT, "22.1.3", List.of("10.5.x"), null, false, SHA, 1, 30);
        assertTrue(listed.appliesTo("10.5.5"));
        assertFalse(listed.appliesTo("3.1.1"));
        UpdateManifest min = new UpdateManifest(1, UpdateManifest.PRODUCT, "22.2.0", List.of(), "22.1.0", false, SHA, 1, 30);
        assertTrue(min.appliesTo("22.1.7"));
        assertFalse(min.appliesTo("22.2.0"));
        assertFalse(min.appliesTo("23.0.0"));
        assertFalse(min.appliesTo("10.5.5"));
    }
}
