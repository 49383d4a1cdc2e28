package dev.kiln.interop;

/**
 * Interop failures found here that need a fix in Kiln itself. A test disabled with one of these
 * reasons asserts the correct behaviour: enable it with the fix.
 */
final class KilnBugs {
    /**
     * Kiln dates a commit by {@code commitInfo.timestamp} (taken before the commit file is written),
     * Spark and delta-kernel by the commit file's modification time (the protocol's rule without
     * in-commit timestamps). They differ by a few milliseconds in either direction, so history
     * timestamps disagree and TIMESTAMP AS OF a Kiln commit time can give the previous version (or
     * fail) in Spark and kernel. Fix: in {@code DeltaLog.commit}, set the temp file's modification
     * time to the commitInfo timestamp before hard-linking it into place.
     */
    static final String COMMIT_TIME = "Kiln bug: commit file mtime != commitInfo.timestamp (see KilnBugs.COMMIT_TIME)";

    private KilnBugs() {
    }
}
