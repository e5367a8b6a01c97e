package dev.sextant.host;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The host jar run in a pseudo-terminal (util-linux {@code script}), as a person at a terminal runs
 * it: keys go in, the screen comes out with its colour and cursor codes stripped.
 */
public final class PtyProcess implements AutoCloseable {

    private static final Pattern ESCAPES = Pattern.compile(
            "\u001B\\[[0-9;?]*[ -/]*[@-~]|\u001B\\][^\u0007]*\u0007|\u001B[=>()][0-9A-Za-z]?|\r");

    private final Process process;
    private final StringBuffer screen = new StringBuffer();
    private final Thread pump;

    private PtyProcess(Process process) {
        this.process = process;
        this.pump = new Thread(this::pump, "pty-reader");
        pump.setDaemon(true);
        pump.start();
    }

    /** The runnable host jar of this build. */
    public static Path hostJar() {
        Path target = TestHome.ROOT.resolve("host/target");
        for (String name : List.of("sextant-host-exec.jar", "sextant-host.jar")) {
            Path jar = target.resolve(name);
            if (Files.isRegularFile(jar) && jar.toFile().length() > 10_000_000L) {
                return jar;
            }
        }
        return fail("no runnable host jar in " + target + ": run mvn -pl host package first");
    }

    /** The command that runs the host jar as {@code bin/sextant} does, with {@code args}. */
    public static List<String> sextant(String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dsextant.home=" + TestHome.ROOT));
        // the build's heads cache, so child processes reuse heads the tests trained
        String cache = System.getProperty("sextant.settings.heads.cache-dir");
        if (cache != null) {
            command.add("-Dsextant.settings.heads.cache-dir=" + cache);
        }
        command.addAll(List.of("-jar", hostJar().toString()));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Starts {@code command} in a 160x50 pseudo-terminal, with {@code configHome} as its {@code
     * XDG_CONFIG_HOME} (where the shell keeps its history).
     */
    public static PtyProcess start(List<String> command, Path configHome) throws IOException {
        boolean haveScript = java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, "script")));
        if (!haveScript) {
            fail("these tests run the host in a terminal with util-linux 'script' (Debian: bsdutils), not on PATH");
        }
        StringBuilder shell = new StringBuilder("stty cols 160 rows 50; exec");
        for (String word : command) {
            shell.append(" '").append(word.replace("'", "'\\''")).append('\'');
        }
        ProcessBuilder builder = new ProcessBuilder("script", "-qfec", shell.toString(), "/dev/null")
                .redirectErrorStream(true);
        builder.environment().put("TERM", "xterm");
        // A person's terminal: colours unless they opt out, whatever the environment running the tests says.
        builder.environment().remove("NO_COLOR");
        builder.environment().put("XDG_CONFIG_HOME", configHome.toString());
        return new PtyProcess(builder.start());
    }

    private void pump() {
        byte[] buffer = new byte[8192];
        try (InputStream in = process.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                screen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // The process ended.
        }
    }

    /** Where the screen ends now, to wait for text that comes after it. */
    public int mark() {
        return screen.length();
    }

    /** Everything shown so far, escape codes stripped. */
    public String screen() {
        return ESCAPES.matcher(screen.toString()).replaceAll("");
    }

    /** Everything shown after {@code mark}, escape codes and all. */
    public String rawAfter(int mark) {
        return screen.substring(mark);
    }

    /** Everything shown after {@code mark}, escape codes stripped. */
    public String screenAfter(int mark) {
        return ESCAPES.matcher(screen.substring(mark)).replaceAll("");
    }

    /** Waits until {@code text} shows after {@code mark}; returns what showed after the mark. */
    public String await(int mark, String text, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            String shown = screenAfter(mark);
            if (shown.contains(text)) {
                return shown;
            }
            if (!process.isAlive() && !pump.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        return fail("'" + text + "' did not show within " + timeout + "; the screen after the mark:\n"
                + screenAfter(mark));
    }

    /** Types keys ({@code \r} is Enter, {@code \t} is Tab). */
    public void type(String keys) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write(keys.getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Waits for the process to end and returns its exit code. */
    public int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return fail("the process did not end within " + timeout + "; the screen:\n" + screen());
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the process and everything it started. */
    @Override
    public void close() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
