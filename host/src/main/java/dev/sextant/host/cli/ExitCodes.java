package dev.sextant.host.cli;

/** Exit codes of the command line, documented in the README. */
public final class ExitCodes {

    /** Success. */
    public static final int OK = 0;
    /** An unexpected failure (a bug): the message says where to look. */
    public static final int ERROR = 1;
    /** Invalid usage, pipeline file or input: the message says what to fix. */
    public static final int INVALID = 2;
    /** The pipeline cannot run: a plugin or component failed, or a run was stopped. */
    public static final int UNAVAILABLE = 3;

    private ExitCodes() {
    }
}
