package io.sensorfleet.console.updates;

import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.protocol.v1.update.PackageException;

/** Refusals of the updates feature, each with its own problem type. */
public class UpdateProblem extends ProblemException {
    public UpdateProblem(int status, String type, String title, String detail) {
        super(status, type, title, detail);
    }

    /** A package that failed a check: unsigned, unknown key, bad signature, digest mismatch, malformed, truncated. */
    static UpdateProblem of(PackageException e) {
        int status = e.kind() == PackageException.Kind.TRUNCATED ? 400 : 422;
        String title = switch (e.kind()) {
            case UNSIGNED -> "Package not signed";
            case UNKNOWN_KEY -> "Package signed with an unknown key";
            case BAD_SIGNATURE -> "Package signature does not verify";
            case DIGEST_MISMATCH -> "Package payload digest mismatch";
            case MALFORMED_MANIFEST -> "Malformed package manifest";
            case TRUNCATED -> "Truncated package upload";
            case MALFORMED_PACKAGE -> "Malformed package";
        };
        return new UpdateProblem(status, e.kind().type(), title, e.getMessage() + "; nothing was stored");
    }

    static UpdateProblem truncatedUpload(long received) {
        return new UpdateProblem(400, PackageException.Kind.TRUNCATED.type(), "Truncated package upload",
                "the upload ended after " + received + " bytes, before the whole body arrived; nothing was stored");
    }

    static UpdateProblem tooLarge(long max) {
        return new UpdateProblem(413, "package-too-large", "Package too large",
                "a package may have at most " + max + " bytes (sensorfleet.updates.max-package-bytes); nothing was stored");
    }

    static UpdateProblem newerThanConsole(String version, String console) {
        return new UpdateProblem(422, "version-newer-than-console", "Version newer than the console",
                "package version " + version + " is newer than this console's version " + console
                        + ": a sensor may never run a newer version than its console; update the console first");
    }

    static UpdateProblem duplicate(String version) {
        return new UpdateProblem(409, "duplicate-version", "Version already uploaded",
                "a package for version " + version + " is already stored; delete it first to replace it");
    }

    static UpdateProblem rolloutState(String detail) {
        return new UpdateProblem(409, "rollout-state", "Not possible in the rollout's state", detail);
    }
}
