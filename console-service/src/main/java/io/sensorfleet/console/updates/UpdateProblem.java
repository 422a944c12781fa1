package io.sensorfleet.console.updates;

import io.sensorfleet.console.platform.ProblemType;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.lib.packages.PackageException;

/** Refusals of the updates feature, each with its own problem type. */
public class UpdateProblem extends ProblemException {
    public UpdateProblem(ProblemType type, String detail) {
        super(type, detail);
    }

    /** A package that failed a check: unsigned, unknown key, bad signature, digest mismatch, malformed, truncated. */
    static UpdateProblem of(PackageException e) {
        return new UpdateProblem(type(e.kind()), e.getMessage() + "; nothing was stored");
    }

    /** The table's entry for a package check's failure; its slug is the kind's {@code type()}. */
    static ProblemType type(PackageException.Kind kind) {
        return switch (kind) {
            case UNSIGNED -> ProblemType.PACKAGE_UNSIGNED;
            case UNKNOWN_KEY -> ProblemType.PACKAGE_UNKNOWN_KEY;
            case BAD_SIGNATURE -> ProblemType.PACKAGE_BAD_SIGNATURE;
            case DIGEST_MISMATCH -> ProblemType.PACKAGE_DIGEST_MISMATCH;
            case MALFORMED_MANIFEST -> ProblemType.PACKAGE_MALFORMED_MANIFEST;
            case TRUNCATED -> ProblemType.PACKAGE_TRUNCATED;
            case MALFORMED_PACKAGE -> ProblemType.PACKAGE_MALFORMED;
        };
    }

    static UpdateProblem truncatedUpload(long received) {
        return new UpdateProblem(ProblemType.PACKAGE_TRUNCATED,
                "the upload ended after " + received + " bytes, before the whole body arrived; nothing was stored");
    }

    static UpdateProblem tooLarge(long max) {
        return new UpdateProblem(ProblemType.PACKAGE_TOO_LARGE,
                "a package may have at most " + max + " bytes (sensorfleet.updates.max-package-bytes); nothing was stored");
    }

    static UpdateProblem newerThanConsole(String version, String console) {
        return new UpdateProblem(ProblemType.VERSION_NEWER_THAN_CONSOLE,
                "package version " + version + " is newer than this console's version " + console
                        + ": a sensor may never run a newer version than its console; update the console first");
    }

    static UpdateProblem duplicate(String version) {
        return new UpdateProblem(ProblemType.DUPLICATE_VERSION,
                "a package for version " + version + " is already stored; delete it first to replace it");
    }

    static UpdateProblem rolloutState(String detail) {
        return new UpdateProblem(ProblemType.ROLLOUT_STATE, detail);
    }
}
