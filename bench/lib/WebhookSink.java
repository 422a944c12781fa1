import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A slow webhook receiver for the forwarding benchmark: answers every POST with 200 after a fixed
 * delay (500 ms by default), on a virtual thread per request, and counts the notification ids it
 * received: unique, duplicates, requests. A request carries one id in the header
 * X-SensorFleet-Event-Id, or, for a batch (header X-SensorFleet-Event-Count), a JSON array whose
 * elements each carry their "eventId"; a batch whose ids do not match its count is counted as
 * malformed. Writes the counts as JSON to the stats file every second and when stopped.
 *
 *   java bench/lib/WebhookSink.java PORT STATS_FILE [DELAY_MS]
 */
public final class WebhookSink {
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: WebhookSink PORT STATS_FILE [DELAY_MS]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        Path stats = Path.of(args[1]);
        long delay = args.length > 2 ? Long.parseLong(args[2]) : 500;
        Set<String> ids = ConcurrentHashMap.newKeySet();
        AtomicLong requests = new AtomicLong();
        AtomicLong duplicates = new AtomicLong();
        AtomicLong withoutId = new AtomicLong();
        AtomicLong malformedBatches = new AtomicLong();
        Pattern eventId = Pattern.compile("\"eventId\"\\s*:\\s*\"([^\"]+)\"");
        AtomicLong inFlight = new AtomicLong();
        AtomicLong maxInFlight = new AtomicLong();
        AtomicLong first = new AtomicLong();
        AtomicLong last = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 4096);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            long now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            try (InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readAllBytes();
                requests.incrementAndGet();
                first.compareAndSet(0, System.currentTimeMillis());
                String id = exchange.getRequestHeaders().getFirst("X-SensorFleet-Event-Id");
                String count = exchange.getRequestHeaders().getFirst("X-SensorFleet-Event-Count");
                if (count != null) {
                    Matcher m = eventId.matcher(new String(body, StandardCharsets.UTF_8));
                    int found = 0;
                    while (m.find()) {
                        found++;
                        if (!ids.add(m.group(1))) {
                            duplicates.incrementAndGet();
                        }
                    }
                    if (found != Integer.parseInt(count.strip())) {
                        malformedBatches.incrementAndGet();
                    }
                } else if (id == null) {
                    withoutId.incrementAndGet();
                } else if (!ids.add(id)) {
                    duplicates.incrementAndGet();
                }
                Thread.sleep(delay);
                last.set(System.currentTimeMillis());
                byte[] ok = "{}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, ok.length);
                exchange.getResponseBody().write(ok);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
                exchange.close();
            }
        });
        server.start();
        Runnable write = () -> {
            String json = String.format("{\"requests\":%d,\"uniqueIds\":%d,\"duplicates\":%d,\"withoutId\":%d,"
                            + "\"malformedBatches\":%d,\"maxInFlight\":%d,\"firstEpochMs\":%d,\"lastEpochMs\":%d,\"delayMs\":%d}%n",
                    requests.get(), ids.size(), duplicates.get(), withoutId.get(), malformedBatches.get(), maxInFlight.get(),
                    first.get(), last.get(), delay);
            try {
                Path tmp = stats.resolveSibling(stats.getFileName() + ".tmp");
                Files.writeString(tmp, json);
                Files.move(tmp, stats, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                System.err.println("cannot write " + stats + ": " + e.getMessage());
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(0);
            write.run();
        }));
        System.out.println("webhook sink on 127.0.0.1:" + port + ", answering after " + delay + " ms");
        while (true) {
            Thread.sleep(1000);
            write.run();
        }
    }
}
