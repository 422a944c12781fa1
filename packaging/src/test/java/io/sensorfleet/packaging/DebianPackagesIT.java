package io.sensorfleet.packaging;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The .deb packages the build made, checked as an operator's machine would see them, but never
 * installed on this machine: lintian, systemd-analyze on the unpacked units, the maintainer scripts
 * run against a scratch root ({@code DPKG_ROOT}) with {@code useradd} replaced by a fake that writes
 * the scratch root's passwd file, and the bundled Java runtimes started from the unpacked tree.
 */
class DebianPackagesIT {
    private static final Path DEBS = Path.of(System.getProperty("sensorfleet.debs.dir", "target/debs"));
    private static final String VERSION = System.getProperty("sensorfleet.build.version");
    private static final String AGENT = "sensorfleet-agent";
    private static final String CONSOLE = "sensorfleet-console";

    private static Path scratch;

    @BeforeAll
    static void scratch() throws IOException {
        scratch = Files.createTempDirectory("debs-it-");
    }

    @AfterAll
    static void cleanUp() throws IOException {
        try (Stream<Path> files = Files.walk(scratch)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static Path deb(String name) {
        Path deb = DEBS.resolve(name + "_" + VERSION + "_amd64.deb");
        assertTrue(Files.isRegularFile(deb), deb + " was not built");
        return deb;
    }

    @Test
    void lintianFindsNoErrorInEitherPackage() throws Exception {
        for (String name : List.of(AGENT, CONSOLE)) {
            Result r = run(List.of("lintian", "--fail-on", "error", "--tag-display-limit", "0", deb(name).toString()), Map.of());
            System.out.println("lintian " + name + ":\n" + r.out);
            assertEquals(0, r.exit, "lintian " + name + ":\n" + r.out);
            assertFalse(r.out.lines().anyMatch(l -> l.startsWith("E: ")), r.out);
        }
    }

    @Test
    void systemdAcceptsTheUnitsInTheUnpackedTree() throws Exception {
        Map<String, List<String>> units = Map.of(
                AGENT, List.of("sensorfleet-agent.service", "sensorfleet-appliance.socket", "sensorfleet-appliance@.service"),
                CONSOLE, List.of("sensorfleet-console.service"));
        for (String name : List.of(AGENT, CONSOLE)) {
            Path root = unpack(name);
            // The units refer to the standard targets; verify resolves them inside the root.
            run(List.of("sh", "-c", "cp -rn /lib/systemd/system/. \"$0/lib/systemd/system/\"", root.toString()), Map.of());
            for (String unit : units.get(name)) {
                assertTrue(Files.isRegularFile(root.resolve("lib/systemd/system").resolve(unit)), unit + " not in " + name);
                Result r = run(List.of("systemd-analyze", "verify", "--root=" + root, "/lib/systemd/system/" + unit), Map.of());
                assertEquals(0, r.exit, unit + ":\n" + r.out);
                assertEquals("", r.out.strip(), "systemd-analyze verify " + unit + " warns");
            }
            if (name.equals(CONSOLE)) {
                // One agent-plane connection per sensor: the default 1024 open files would cap the fleet.
                String unit = Files.readString(root.resolve("lib/systemd/system/sensorfleet-console.service"));
                long limit = unit.lines().filter(l -> l.startsWith("LimitNOFILE=")).mapToLong(l -> Long.parseLong(l.substring(12).strip()))
                        .findFirst().orElse(0);
                assertTrue(limit >= 65536, "LimitNOFILE of the console unit: " + limit);
            }
        }
    }

    @Test
    void theAgentPackageCreatesItsUserAndStateKeepsStateOnUpgradeAndRemoveAndPurgeDeletesIt() throws Exception {
        Path root = unpack(AGENT);
        Path state = root.resolve("var/lib/sensorfleet-agent");

        assertEquals(0, script(root, AGENT, "postinst", "configure").exit);
        assertTrue(Files.readString(root.resolve("etc/passwd")).contains("sensorfleet-agent:"));
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));
        assertEquals(uidOf(root, "sensorfleet-agent"), Files.getAttribute(state, "unix:uid"));
        Files.writeString(state.resolve("agent.json"), "{\"sensorId\":\"kept\"}");

        // Upgrade: the user exists, the state stays as it is.
        assertEquals(0, script(root, AGENT, "postinst", "configure", "22.4.0").exit);
        assertEquals(1, useraddCalls(root), "the user is created once");
        assertEquals("{\"sensorId\":\"kept\"}", Files.readString(state.resolve("agent.json")));

        assertEquals(0, script(root, AGENT, "prerm", "remove").exit);
        assertEquals(0, script(root, AGENT, "postrm", "remove").exit);
        assertTrue(Files.exists(state.resolve("agent.json")), "remove keeps the state");

        assertEquals(0, script(root, AGENT, "postrm", "purge").exit);
        assertFalse(Files.exists(state), "purge deletes the state");
    }

    @Test
    void theConsolePackageCreatesItsUserAndStateKeepsStateOnRemoveAndPurgeDeletesIt() throws Exception {
        Path root = unpack(CONSOLE);

        assertEquals(0, script(root, CONSOLE, "postinst", "configure").exit);
        assertTrue(Files.readString(root.resolve("etc/passwd")).contains("sensorfleet:"));
        for (String dir : List.of("var/lib/sensorfleet-console", "var/lib/sensorfleet/backups", "var/lib/sensorfleet/updates")) {
            assertEquals(uidOf(root, "sensorfleet"), Files.getAttribute(root.resolve(dir), "unix:uid"), dir);
        }
        Files.writeString(root.resolve("var/lib/sensorfleet-console/master.key"), "kept");
        assertEquals(0, script(root, CONSOLE, "postinst", "configure", "22.4.0").exit);
        assertEquals(0, script(root, CONSOLE, "prerm", "remove").exit);
        assertEquals(0, script(root, CONSOLE, "postrm", "remove").exit);
        assertEquals("kept", Files.readString(root.resolve("var/lib/sensorfleet-console/master.key")));

        assertEquals(0, script(root, CONSOLE, "postrm", "purge").exit);
        assertFalse(Files.exists(root.resolve("var/lib/sensorfleet-console")));
        assertFalse(Files.exists(root.resolve("var/lib/sensorfleet")));
    }

    @Test
    void theUnpackedAgentRunsOnItsBundledRuntime() throws Exception {
        Path root = unpack(AGENT);
        Path java = root.resolve("usr/lib/sensorfleet-agent/runtime/bin/java");
        Result version = run(List.of(java.toString(), "-version"), Map.of());
        assertEquals(0, version.exit, version.out);

        // The launcher picks the bundled runtime; PATH and JAVA_HOME lead nowhere.
        Result agent = run(List.of(root.resolve("usr/lib/sensorfleet-agent/bin/sensor-agent").toString(), "--version"),
                Map.of("PATH", "/usr/bin:/bin", "JAVA_HOME", "/nonexistent"));
        assertEquals(0, agent.exit, agent.out);
        assertEquals("sensor-agent " + VERSION, agent.out.strip());
        assertModules(java, AGENT);
        assertTrue(Files.readString(root.resolve("usr/share/sensorfleet-agent/vendor-keys.pem")).contains("BEGIN PUBLIC KEY"),
                "the vendor keys are pinned in the package");
        assertEquals(VERSION, Files.readString(root.resolve("usr/lib/sensorfleet-agent/lib/sensor-agent.version")).strip(),
                "the launcher compares the package's version with an update's");
    }

    @Test
    void theUnpackedConsoleRuntimeHasEveryModuleJdepsFoundAndStartsTheApplication() throws Exception {
        Path root = unpack(CONSOLE);
        Path java = root.resolve("usr/lib/sensorfleet-console/runtime/bin/java");
        assertModules(java, CONSOLE);

        // Started as the systemd unit starts it, through the package's launcher. Without a database
        // the console stops at its first connection: proof that the runtime loaded Quarkus, the
        // configuration and the JDBC driver, i.e. got past every module check.
        Path data = Files.createDirectories(scratch.resolve("console-data"));
        Path aot = scratch.resolve("console-aot");
        // Storage paths allow only / a-z A-Z 0-9 _, which the scratch directory's name does not keep to.
        Path storage = Files.createDirectories(Path.of("/tmp/sensorfleet_debs_it_" + ProcessHandle.current().pid()));
        Map<String, String> env = Map.ofEntries(
                Map.entry("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:1/none"),
                Map.entry("QUARKUS_DATASOURCE_USERNAME", "x"),
                Map.entry("QUARKUS_DATASOURCE_PASSWORD", "x"),
                Map.entry("SENSORFLEET_CONSOLE_DATA_DIR", data.toString()),
                Map.entry("QUARKUS_HTTP_SSL_PORT", "0"),
                Map.entry("SENSORFLEET_AGENT_PLANE_PORT", "0"),
                Map.entry("SENSORFLEET_BACKUPS_STORAGE_DIR", storage.resolve("backups").toString()),
                Map.entry("SENSORFLEET_UPDATES_STORAGE_DIR", storage.resolve("updates").toString()),
                Map.entry("SENSORFLEET_CONSOLE_JAVA", java.toString()),
                Map.entry("SENSORFLEET_CONSOLE_JAR", root.resolve("usr/lib/sensorfleet-console/app/quarkus-run.jar").toString()),
                Map.entry("SENSORFLEET_CONSOLE_AOT_DIR", aot.toString()));
        List<String> launch = List.of(root.resolve("usr/lib/sensorfleet-console/bin/sensorfleet-console").toString(), "-Xmx256m");
        try {
            Result r = run(launch, env);
            assertFalse(r.out.contains("NoClassDefFoundError") || r.out.contains("ClassNotFoundException")
                    || r.out.contains("FindException"), r.out);
            assertTrue(r.out.contains("Connection") && r.out.contains("refused"), r.out);

            // On a Java 25 runtime that run recorded an ahead-of-time cache and wrote it as it exited,
            // and the next start loads the console's own classes from it.
            String release = Files.readString(root.resolve("usr/lib/sensorfleet-console/runtime/release"));
            int feature = Integer.parseInt(release.replaceAll("(?s).*JAVA_VERSION=\"(\\d+).*", "$1"));
            List<Path> caches = caches(aot);
            if (feature < 25) {
                assertEquals(List.of(), caches, "no cache on Java " + feature);
                return;
            }
            assertEquals(1, caches.size(), r.out);
            assertTrue(caches.getFirst().getFileName().toString().matches("console-[0-9a-f]{16}\\.aot"), caches.toString());
            Result again = run(List.of(launch.get(0), launch.get(1), "-Xlog:class+load=info"), env);
            assertTrue(again.out.contains("Connection") && again.out.contains("refused"), again.out);
            assertTrue(again.out.lines().anyMatch(l -> l.contains(" io.sensorfleet.console.") && l.endsWith("source: shared objects file")),
                    "the console's classes come from the cache");
            assertEquals(caches, caches(aot), "the cache was used, not recorded again");
        } finally {
            try (Stream<Path> files = Files.walk(storage)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void theUnpackedConsoleRunsItsRecoveryCommandOnTheBundledRuntime() throws Exception {
        Path root = unpack(CONSOLE);
        Path java = root.resolve("usr/lib/sensorfleet-console/runtime/bin/java");
        Path jar = root.resolve("usr/lib/sensorfleet-console/app/quarkus-run.jar");
        assertTrue(Files.isExecutable(root.resolve("usr/sbin/sensorfleet-console-recovery")), "the recovery command is installed");

        Result usage = run(List.of(java.toString(), "-jar", jar.toString(), "restore"), Map.of());
        assertEquals(2, usage.exit, usage.out);
        assertTrue(usage.out.contains("--archive is required"), usage.out);

        // Past the options and the configuration: the archive is the first thing it reads.
        Path passphrase = Files.writeString(scratch.resolve("passphrase"), "a passphrase of the test\n");
        Result missing = run(List.of(java.toString(), "-jar", jar.toString(), "restore", "--archive",
                        scratch.resolve("none.tar").toString(), "--passphrase-file", passphrase.toString()),
                Map.of("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:1/none"));
        assertEquals(1, missing.exit, missing.out);
        assertTrue(missing.out.contains("no such archive"), missing.out);
    }

    /** The ahead-of-time caches in {@code dir} (not their checked marks). */
    private static List<Path> caches(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".aot")).toList();
        }
    }

    private static void assertModules(Path java, String name) throws Exception {
        Result list = run(List.of(java.toString(), "--list-modules"), Map.of());
        assertEquals(0, list.exit, list.out);
        List<String> present = list.out.lines().map(l -> l.replaceAll("@.*", "")).toList();
        List<String> wanted = Arrays.asList(Files.readString(DEBS.resolve(name + ".modules")).strip().split(","));
        assertTrue(wanted.contains("java.base") && wanted.size() > 3, wanted.toString());
        List<String> missing = new ArrayList<>(wanted);
        missing.removeAll(present);
        assertEquals(List.of(), missing, name + " runtime lacks modules jdeps required");
    }

    /** dpkg-deb -x and -e into a fresh scratch root: files under root, control files under root/DEBIAN. */
    private static Path unpack(String name) throws Exception {
        Path root = Files.createTempDirectory(scratch, name + "-root-");
        assertEquals(0, run(List.of("dpkg-deb", "-x", deb(name).toString(), root.toString()), Map.of()).exit);
        assertEquals(0, run(List.of("dpkg-deb", "-e", deb(name).toString(), root.resolve("DEBIAN").toString()), Map.of()).exit);
        Files.createDirectories(root.resolve("etc"));
        return root;
    }

    /**
     * Runs a maintainer script as dpkg would for {@code dpkg --root}: DPKG_ROOT set, and a PATH whose
     * useradd, systemctl and deb-systemd-* are fakes that only record (and, for useradd, add the user
     * to the scratch root's passwd and group files), so nothing on this machine changes.
     */
    private static Result script(Path root, String pkg, String script, String... args) throws Exception {
        Path fakes = Files.createDirectories(root.resolveSibling(root.getFileName() + "-fakes"));
        fake(fakes, "useradd", """
                #!/bin/sh
                echo "useradd $*" >> "$FAKE_LOG"
                r=""; while [ $# -gt 1 ]; do [ "$1" = --root ] && r=$2; shift; done
                [ -n "$r" ] || { echo "useradd without --root in a test" >&2; exit 9; }
                n=$(($(wc -l < "$r/etc/passwd" 2>/dev/null || echo 0) + 990))
                echo "$1:x:$n:$n::/nonexistent:/usr/sbin/nologin" >> "$r/etc/passwd"
                echo "$1:x:$n:" >> "$r/etc/group"
                """);
        for (String tool : List.of("systemctl", "deb-systemd-helper", "deb-systemd-invoke")) {
            fake(fakes, tool, "#!/bin/sh\necho \"" + tool + " $*\" >> \"$FAKE_LOG\"\n");
        }
        List<String> command = new ArrayList<>(List.of(root.resolve("DEBIAN").resolve(script).toString()));
        command.addAll(List.of(args));
        Result r = run(command, Map.of("DPKG_ROOT", root.toString(), "DPKG_MAINTSCRIPT_PACKAGE", pkg,
                "PATH", fakes + ":/usr/sbin:/usr/bin:/sbin:/bin", "FAKE_LOG", fakes.resolve("calls.log").toString()));
        assertEquals(0, r.exit, script + " " + String.join(" ", args) + ":\n" + r.out);
        String calls = Files.exists(fakes.resolve("calls.log")) ? Files.readString(fakes.resolve("calls.log")) : "";
        assertFalse(calls.contains("systemctl") || calls.contains("deb-systemd"), "systemd touched under DPKG_ROOT: " + calls);
        return r;
    }

    private static long useraddCalls(Path root) throws IOException {
        Path log = root.resolveSibling(root.getFileName() + "-fakes").resolve("calls.log");
        return Files.readAllLines(log).stream().filter(l -> l.startsWith("useradd ")).count();
    }

    private static Object uidOf(Path root, String user) throws IOException {
        return Files.readAllLines(root.resolve("etc/passwd")).stream().filter(l -> l.startsWith(user + ":"))
                .map(l -> Integer.parseInt(l.split(":")[2])).findFirst().orElseThrow();
    }

    private static void fake(Path dir, String name, String body) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, body);
        f.toFile().setExecutable(true);
    }

    record Result(int exit, String out) {
    }

    private static Result run(List<String> command, Map<String, String> env) throws Exception {
        Path out = Files.createTempFile(scratch, "out-", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command + "\n" + Files.readString(out));
        }
        return new Result(p.exitValue(), Files.readString(out));
    }
}
