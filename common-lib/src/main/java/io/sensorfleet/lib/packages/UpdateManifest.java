package io.sensorfleet.lib.packages;

import io.sensorfleet.protocol.v1.update.Versions;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.sensorfleet.lib.json.Json;
import io.sensorfleet.lib.json.JsonException;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The signed part of an update package ({@code manifest.json}); see docs/update-package-format.md.
 *
 * @param format                    {@value #FORMAT}
 * @param product                   {@value #PRODUCT}
 * @param version                   the version the package installs
 * @param appliesTo                 versions (or {@code 10.5.x} prefixes) it may be installed on; may be empty when
 *                                  {@code minimumFrom} is given
 * @param minimumFrom               it may be installed on this version and anything newer (older than {@code version});
 *                                  null when {@code appliesTo} lists them
 * @param requiresNewActivation     the sensor needs an activation file issued for this version before installing
 * @param payloadSha256             SHA-256 (hex) of {@code payload.tar}
 * @param payloadSize               size of {@code payload.tar} in bytes
 * @param healthcheckTimeoutSeconds how long the payload's {@code healthcheck} may run after installing
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UpdateManifest(int format, String product, String version, List<String> appliesTo, String minimumFrom,
                             boolean requiresNewActivation, String payloadSha256, long payloadSize,
                             int healthcheckTimeoutSeconds) {
    public static final int FORMAT = 1;
    public static final String PRODUCT = "sensorfleet-sensor";
    static final int MAX_BYTES = 16 * 1024;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Json JSON = Json.strict();

    public UpdateManifest {
        appliesTo = appliesTo == null ? List.of() : List.copyOf(appliesTo);
    }

    /** Parses and checks a manifest; every problem is {@link PackageException.Kind#MALFORMED_MANIFEST} naming the field. */
    public static UpdateManifest parse(byte[] bytes) throws PackageException {
        if (bytes.length > MAX_BYTES) {
            throw malformed("the manifest is larger than " + MAX_BYTES + " bytes");
        }
        UpdateManifest m;
        try {
            m = JSON.readValue(bytes, UpdateManifest.class);
        } catch (JsonException e) {
            throw malformed("the manifest is not valid JSON of the expected fields: " + e.getOriginalMessage());
        }
        if (m == null) {
            throw malformed("the manifest is empty");
        }
        List<String> errors = m.problems();
        if (!errors.isEmpty()) {
            throw malformed("manifest: " + String.join("; ", errors));
        }
        return m;
    }

    /** What is wrong with this manifest, one entry per field; empty when valid. */
    public List<String> problems() {
        List<String> e = new ArrayList<>();
        if (format != FORMAT) {
            e.add("format: must be " + FORMAT);
        }
        if (!PRODUCT.equals(product)) {
            e.add("product: must be " + PRODUCT);
        }
        if (!Versions.valid(version)) {
            e.add("version: required, dot-separated letters and digits, at most 64 characters");
        }
        if (appliesTo.isEmpty() && minimumFrom == null) {
            e.add("appliesTo or minimumFrom: at least one is required");
        }
        if (appliesTo.size() > 100 || !appliesTo.stream().allMatch(Versions::validPattern)) {
            e.add("appliesTo: at most 100 versions or prefixes like 10.5.x");
        }
        if (minimumFrom != null && !Versions.valid(minimumFrom)) {
            e.add("minimumFrom: a version");
        }
        if (payloadSha256 == null || !SHA256.matcher(payloadSha256).matches()) {
            e.add("payloadSha256: 64 lower-case hex digits");
        }
        if (payloadSize < 0) {
            e.add("payloadSize: not negative");
        }
        if (healthcheckTimeoutSeconds < 1 || healthcheckTimeoutSeconds > 3600) {
            e.add("healthcheckTimeoutSeconds: from 1 to 3600");
        }
        return e;
    }

    /** Whether a sensor on {@code current} may install this package (it names that version and is newer). */
    public boolean appliesTo(String current) {
        if (!Versions.valid(current) || !Versions.newer(version, current)) {
            return false;
        }
        if (minimumFrom != null && Versions.compare(current, minimumFrom) >= 0) {
            return true;
        }
        return appliesTo.stream().anyMatch(p -> Versions.matches(p, current));
    }

    /** How the versions it applies to read in a message, e.g. "3.1.1, 10.5.x or 10.5.5 and newer". */
    public String describeAppliesTo() {
        List<String> parts = new ArrayList<>(appliesTo);
        if (minimumFrom != null) {
            parts.add(minimumFrom + " and newer");
        }
        return String.join(", ", parts);
    }

    /** The bytes the packaging tool writes and signs: fields in declaration order, no whitespace. */
    public byte[] toBytes() {
        return JSON.writeValueAsBytes(this);
    }

    private static PackageException malformed(String message) {
        return new PackageException(PackageException.Kind.MALFORMED_MANIFEST, message);
    }
}
