package io.sensorfleet.lib.packages;

/** An update package that must not be used, and why; {@link #kind()} names the problem for clients. */
public class PackageException extends Exception {
    /** Each refusal has its own kind (and problem type on the console). */
    public enum Kind {
        /** The archive has no signature entry. */
        UNSIGNED("package-unsigned"),
        /** Signed with a key that is not trusted. */
        UNKNOWN_KEY("package-unknown-key"),
        /** The signature does not verify against the manifest with the named key. */
        BAD_SIGNATURE("package-bad-signature"),
        /** The payload's SHA-256 differs from the one in the manifest. */
        DIGEST_MISMATCH("package-digest-mismatch"),
        /** The manifest is not valid JSON or a field is missing or wrong. */
        MALFORMED_MANIFEST("package-malformed-manifest"),
        /** The archive ends before its last entry does. */
        TRUNCATED("package-truncated"),
        /** Not an archive of the expected layout (entries missing, unknown or out of order). */
        MALFORMED_PACKAGE("package-malformed");

        private final String type;

        Kind(String type) {
            this.type = type;
        }

        /** The problem type, e.g. {@code package-bad-signature}. */
        public String type() {
            return type;
        }
    }

    private final Kind kind;

    public PackageException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
