package io.sensorfleet.console.backups;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The upload writer threads run at a lower operating-system priority than the event loops when the
 * console is started as its launch lines start it ({@code -XX:ThreadPriorityPolicy=1}), seen the way
 * an operator would: the nice value in {@code /proc}. A JVM of its own for each case, since the
 * flag is read when the JVM starts.
 */
class UploadWritersPriorityTest {

    @Test
    void writerThreadsAreNicerThanTheRestOfTheConsoleWithTheLaunchFlag() throws Exception {
        assertEquals(List.of("other 0", "writer 4"), niceValues("-XX:ThreadPriorityPolicy=1"));
    }

    @Test
    void withoutTheFlagTheJvmLeavesEveryThreadAtTheSamePriority() throws Exception {
        assertEquals(List.of("other 0", "writer 0"), niceValues());
    }

    private static List<String> niceValues(String... jvmOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), UploadWritersPriorityTest.class.getName()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM ends");
        assertEquals(0, p.exitValue(), out);
        // The JVM warns when not root that lowering may be all it can do; only our lines count.
        return out.lines().filter(l -> l.startsWith("other ") || l.startsWith("writer ")).sorted().toList();
    }

    /** In the child JVM: the nice value of a new ordinary thread and of an upload writer thread. */
    public static void main(String[] args) throws Exception {
        CompletableFuture<String> other = new CompletableFuture<>();
        Thread t = new Thread(() -> other.complete(ownNice()));
        t.start();
        UploadWriters writers = new UploadWriters();
        CompletableFuture<String> writer = new CompletableFuture<>();
        writers.execute(() -> writer.complete(ownNice()));
        System.out.println("other " + other.get(10, TimeUnit.SECONDS));
        System.out.println("writer " + writer.get(10, TimeUnit.SECONDS));
        writers.stop(null);
    }

    /** Field 19 of /proc/thread-self/stat; the fields after the command name, which may hold spaces, start at 3. */
    private static String ownNice() {
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19 - 3];
        } catch (IOException e) {
            return e.toString();
        }
    }
}
