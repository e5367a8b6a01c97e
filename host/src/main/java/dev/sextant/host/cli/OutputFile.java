package dev.sextant.host.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A file a command writes its result to (e.g. {@code --html out.html}). It is checked before the
 * command does its work, so a run of many seconds does not end in "cannot write", and it is
 * written whole or not at all: into a temporary file beside it, then moved into place.
 */
final class OutputFile {

    private final String option;
    private final Path path;

    private OutputFile(String option, Path path) {
        this.option = option;
        this.path = path;
    }

    /**
     * Checks that {@code name} can be written.
     *
     * @param option the option that named it, e.g. {@code --html}, for messages
     * @throws UsageException saying why it cannot
     */
    static OutputFile checked(String option, String name) throws UsageException {
        Path path;
        try {
            path = Path.of(name).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new UsageException(option + " " + name + " is not a usable file name: " + e.getReason());
        }
        Path folder = path.getParent();
        if (name.isBlank() || folder == null || Files.isDirectory(path)) {
            throw new UsageException(option + " needs a file name such as out.html, got '" + name + "'");
        }
        if (!Files.isDirectory(folder)) {
            throw new UsageException("cannot write " + option + " " + name + ": the folder " + folder
                    + " does not exist (create it first)");
        }
        if (!Files.isWritable(folder)) {
            throw new UsageException("cannot write " + option + " " + name + ": the folder " + folder
                    + " is not writable");
        }
        if (Files.exists(path) && !Files.isWritable(path)) {
            throw new UsageException("cannot write " + option + " " + name + ": the file exists and is read-only");
        }
        return new OutputFile(option, path);
    }

    /** The file. */
    Path path() {
        return path;
    }

    /**
     * Writes {@code content} as UTF-8, replacing the file if it exists.
     *
     * @throws IOException saying which file could not be written
     */
    void write(String content) throws IOException {
        Path temp = null;
        try {
            // not Files.createTempFile: its owner-only permissions would stay on the result; a new file
            // created plainly gets the permissions the user's umask gives every other file
            temp = path.resolveSibling("." + path.getFileName() + "." + ProcessHandle.current().pid() + "."
                    + System.nanoTime() + ".tmp");
            Files.writeString(temp, content, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE);
            try {
                Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new IOException("cannot write " + option + " " + path + ": " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                Files.deleteIfExists(temp);
            }
        }
    }
}
