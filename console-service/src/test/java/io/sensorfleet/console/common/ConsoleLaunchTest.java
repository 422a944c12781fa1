package io.sensorfleet.console.common;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console's launcher (deploy/console-launch.sh) on this JDK with a one-class program: on Java 25
 * or newer the first start records an ahead-of-time cache that the next start loads its classes from,
 * a changed build gets a cache of its own, a damaged cache is made again, and no cache directory
 * means no cache; on an older runtime it adds nothing.
 */
class ConsoleLaunchTest {
    private static final Path LAUNCHER = Path.of("..", "deploy", "console-launch.sh").toAbsolutePath().normalize();
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final String FROM_CACHE = LaunchProbe.class.getName() + " source: shared objects file";

    @TempDir
    Path dir;

    @Test
    void aFirstStartRecordsTheCacheAndTheNextStartsFromIt() throws Exception {
        Path jar = jar("v1");
        Path aot = dir.resolve("aot");
        String first = launch(jar, aot.toString(), "-Dprobe.option=one");
        assertTrue(first.contains("probe ran with one"), first);
        if (Runtime.version().feature() < 25) {
            assertTrue(Files.notExists(aot), "no cache before Java 25");
            return;
        }
        Path cache = onlyCache(aot);
        assertTrue(cache.getFileName().toString().matches("console-[0-9a-f]{16}\\.aot"), cache.toString());

        String second = launch(jar, aot.toString(), "-Xlog:class+load=info");
        assertTrue(second.contains(FROM_CACHE), second);
        assertEquals(cache, onlyCache(aot));
        // Checked once by the first start from it; later starts skip that extra JVM.
        assertTrue(Files.exists(cache.resolveSibling(cache.getFileName() + ".ok")), "checked mark");
        assertTrue(launch(jar, aot.toString(), "-Xlog:class+load=info").contains(FROM_CACHE));
    }

    @Test
    void aChangedBuildGetsItsOwnCacheAndTheOldOneGoes() throws Exception {
        if (Runtime.version().feature() < 25) {
            return;
        }
        Path aot = dir.resolve("aot");
        launch(jar("v1"), aot.toString());
        Path old = onlyCache(aot);
        // The same jar rewritten with the same class and one more entry: the JVM itself would still
        // load the class from the old cache.
        Path changed = jar("v2");
        String out = launch(changed, aot.toString());
        assertTrue(out.contains("probe ran"), out);
        assertNotEquals(old, onlyCache(aot), "a changed build records a cache of its own, the old one goes");
        assertTrue(launch(changed, aot.toString(), "-Xlog:class+load=info").contains(FROM_CACHE));
    }

    @Test
    void aDamagedCacheIsRecordedAgain() throws Exception {
        if (Runtime.version().feature() < 25) {
            return;
        }
        Path jar = jar("v1");
        Path aot = dir.resolve("aot");
        launch(jar, aot.toString());
        Path cache = onlyCache(aot);
        byte[] head = new byte[100_000];
        try (var in = Files.newInputStream(cache)) {
            assertEquals(head.length, in.readNBytes(head, 0, head.length));
        }
        Files.write(cache, head);

        String out = launch(jar, aot.toString());
        assertTrue(out.contains("cannot be used; recording a new one"), out);
        assertTrue(Files.size(onlyCache(aot)) > 10 * head.length, "recorded whole again");
        assertTrue(launch(jar, aot.toString(), "-Xlog:class+load=info").contains(FROM_CACHE));
    }

    @Test
    void anEmptyCacheDirectoryMeansNoCache() throws Exception {
        String out = launch(jar("v1"), "", "-Xlog:class+load=info");
        assertTrue(out.contains("probe ran"), out);
        assertTrue(!out.contains(FROM_CACHE), out);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("app")), files.toList(), "nothing written but the program");
        }
    }

    @Test
    void aCacheDirectoryThatCannotBeMadeStillStartsTheProgram() throws Exception {
        Path jar = jar("v1");
        // Under a file: no directory can be made there, whoever runs the test.
        String out = launch(jar, jar.resolve("aot").toString(), "-Dprobe.option=anyway");
        assertTrue(out.contains("probe ran with anyway"), out);
        if (Runtime.version().feature() >= 25) {
            assertTrue(out.contains("starting without a cache"), out);
        }
    }

    @Test
    void aMissingRuntimeIsAClearError() throws Exception {
        Process p = process(jar("v1"), dir.resolve("aot").toString(), Map.of("SENSORFLEET_CONSOLE_JAVA", "/nonexistent/java"));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), out);
        assertTrue(out.contains("no Java runtime at /nonexistent/java"), out);
    }

    private String launch(Path jar, String aotDir, String... options) throws Exception {
        Process p = process(jar, aotDir, Map.of(), options);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private static Process process(Path jar, String aotDir, Map<String, String> env, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of("sh", LAUNCHER.toString()));
        command.addAll(List.of(options));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(Map.of("SENSORFLEET_CONSOLE_JAVA", JAVA, "SENSORFLEET_CONSOLE_JAR", jar.toString(),
                "SENSORFLEET_CONSOLE_AOT_DIR", aotDir));
        pb.environment().putAll(env);
        return pb.start();
    }

    /** The one cache in {@code aot} (besides it, at most its checked mark). */
    private static Path onlyCache(Path aot) throws IOException {
        try (Stream<Path> files = Files.list(aot)) {
            List<Path> all = files.filter(f -> !f.getFileName().toString().endsWith(".aot.ok")).toList();
            assertEquals(1, all.size(), all.toString());
            return all.getFirst();
        }
    }

    /**
     * The program's jar, always at the same place (as an upgrade replaces the installed one), with
     * LaunchProbe as its main class; a version other than v1 goes into an extra entry.
     */
    private Path jar(String version) throws IOException {
        Path jar = Files.createDirectories(dir.resolve("app")).resolve("run.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, LaunchProbe.class.getName());
        String classFile = LaunchProbe.class.getName().replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, manifest)) {
            j.putNextEntry(new JarEntry(classFile));
            try (var in = LaunchProbe.class.getClassLoader().getResourceAsStream(classFile)) {
                in.transferTo(j);
            }
            if (!version.equals("v1")) {
                j.putNextEntry(new JarEntry("version.txt"));
                j.write(version.getBytes(StandardCharsets.UTF_8));
            }
        }
        return jar;
    }
}
