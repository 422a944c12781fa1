package io.sensorfleet.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorfleet.agent.identity.Pem;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the simulated sensors' connection strings come from: a file (one per line, as an operator
 * would hand them out) or the console's operator API, as an admin, in batches of at most
 * {@value #MAX_BATCH} ({@code POST /api/v1/connection-strings/batch}).
 */
final class ConnectionStringSource {
    static final int MAX_BATCH = 10_000;
    private static final ObjectMapper JSON = SimulatorJson.mapper();

    private ConnectionStringSource() {
    }

    /** The first {@code count} connection strings of a file; blank lines and {@code #} comments skipped. */
    static List<ConnectionString> fromFile(Path file, int count) throws IOException {
        List<ConnectionString> strings = new ArrayList<>();
        int lineNumber = 0;
        for (String line : Files.readAllLines(file)) {
            lineNumber++;
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("#")) {
                continue;
            }
            try {
                strings.add(ConnectionString.parse(s));
            } catch (RuntimeException e) {
                throw new IOException(file + " line " + lineNumber + ": " + e.getMessage(), e);
            }
            if (strings.size() == count) {
                break;
            }
        }
        if (strings.size() < count) {
            throw new IOException(file + " holds " + strings.size() + " connection strings; " + count + " are needed");
        }
        return strings;
    }

    /** Logs in and creates {@code count} connection strings. */
    static List<ConnectionString> fromConsole(URI console, String user, String password, Path operatorCertificate,
                                              int count, String description) throws IOException {
        if (password == null || password.isEmpty()) {
            throw new IOException("no admin password: use --admin-password-file or SENSORFLEET_ADMIN_PASSWORD");
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .sslContext(operatorTrust(operatorCertificate)).build();
        try {
            JsonNode login = call(http, console.resolve("/api/v1/auth/login"), null,
                    Map.of("username", user, "password", password));
            String token = login.path("token").asText(null);
            if (token == null) {
                throw new IOException("login at " + console + " returned no token");
            }
            List<ConnectionString> strings = new ArrayList<>(count);
            while (strings.size() < count) {
                int n = Math.min(MAX_BATCH, count - strings.size());
                JsonNode created = call(http, console.resolve("/api/v1/connection-strings/batch"), token,
                        Map.of("count", n, "description", description));
                for (JsonNode c : created) {
                    strings.add(ConnectionString.parse(c.path("connectionString").asText()));
                }
            }
            return strings;
        } finally {
            http.close();
        }
    }

    private static JsonNode call(HttpClient http, URI uri, String token, Object body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while calling " + uri, e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new IOException(uri + " answered " + response.statusCode() + ": "
                    + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8).strip());
        }
        return JSON.readTree(response.body());
    }

    private static SSLContext operatorTrust(Path certificatePem) throws IOException {
        try {
            if (certificatePem == null) {
                return SSLContext.getDefault();
            }
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            int i = 0;
            for (X509Certificate c : Pem.readCertificates(Files.readString(certificatePem))) {
                anchors.setCertificateEntry("operator-" + i++, c);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(anchors);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot trust " + certificatePem + ": " + e.getMessage(), e);
        }
    }
}
