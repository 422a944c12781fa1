package io.sensorfleet.console.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real rsyslogd (Debian package {@code rsyslog}; {@code .ci/run} installs it) listening on
 * loopback: syslog over TCP (octet-counted or LF framing) and UDP, each written to its own file,
 * one JSON object per message with the fields rsyslog parsed (time, host, app, msgid, sd,
 * severity, facility, msg).
 */
public final class Rsyslog implements AutoCloseable {
    private static final Path RSYSLOGD = Path.of("/usr/sbin/rsyslogd");

    public final int tcpPort;
    public final int udpPort;
    private final Path dir;
    private final Process process;

    private Rsyslog(Path dir, int tcpPort, int udpPort, Process process) {
        this.dir = dir;
        this.tcpPort = tcpPort;
        this.udpPort = udpPort;
        this.process = process;
    }

    public static Rsyslog start() throws Exception {
        if (!Files.isExecutable(RSYSLOGD)) {
            throw new IllegalStateException(RSYSLOGD + " not found: install the Debian package rsyslog "
                    + "(.ci/run does: apt-get install rsyslog)");
        }
        Path dir = Files.createTempDirectory("rsyslog-");
        int tcp = ThrowawayPostgres.freePort();
        int udp = ThrowawayPostgres.freePort();
        String conf = """
                global(workDirectory="%1$s" maxMessageSize="64k")
                module(load="imtcp")
                module(load="imudp")
                template(name="fields" type="list" option.jsonf="on") {
                  property(outname="time" name="timereported" dateFormat="rfc3339" format="jsonf")
                  property(outname="host" name="hostname" format="jsonf")
                  property(outname="app" name="app-name" format="jsonf")
                  property(outname="msgid" name="msgid" format="jsonf")
                  property(outname="sd" name="structured-data" format="jsonf")
                  property(outname="severity" name="syslogseverity" format="jsonf")
                  property(outname="facility" name="syslogfacility" format="jsonf")
                  property(outname="msg" name="msg" format="jsonf")
                }
                ruleset(name="tcp") { action(type="omfile" file="%1$s/tcp.log" template="fields") }
                ruleset(name="udp") { action(type="omfile" file="%1$s/udp.log" template="fields") }
                input(type="imtcp" address="127.0.0.1" port="%2$d" ruleset="tcp")
                input(type="imudp" address="127.0.0.1" port="%3$d" ruleset="udp")
                """.formatted(dir, tcp, udp);
        Files.writeString(dir.resolve("rsyslog.conf"), conf);
        Process p = new ProcessBuilder(RSYSLOGD.toString(), "-n", "-f", dir.resolve("rsyslog.conf").toString(),
                "-i", dir.resolve("rsyslogd.pid").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("rsyslogd.out").toFile()).start();
        Rsyslog r = new Rsyslog(dir, tcp, udp, p);
        r.awaitListening();
        return r;
    }

    /** Messages received over TCP, in order. */
    public List<JsonNode> tcpMessages() throws IOException {
        return read(dir.resolve("tcp.log"));
    }

    /** Messages received over UDP, in order. */
    public List<JsonNode> udpMessages() throws IOException {
        return read(dir.resolve("udp.log"));
    }

    private static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> messages = new ArrayList<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank()) {
                    messages.add(TestSensor.JSON.readTree(line));
                }
            }
        }
        return messages;
    }

    private void awaitListening() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("rsyslogd exited: " + Files.readString(dir.resolve("rsyslogd.out")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", tcpPort), 200);
                // The UDP input is opened in the same start-up step as the TCP one.
                Thread.sleep(200);
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("rsyslogd did not listen within 15 s");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
