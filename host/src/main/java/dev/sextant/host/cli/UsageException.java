package dev.sextant.host.cli;

/** The command line itself is wrong (unknown command or option, missing argument). Exit code 2. */
public class UsageException extends Exception {

    public UsageException(String message) {
        super(message);
    }
}
