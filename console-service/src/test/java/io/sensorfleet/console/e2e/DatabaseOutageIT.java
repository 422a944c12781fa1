package io.sensorfleet.console.e2e;

import io.sensorfleet.console.support.Cli;
import io.sensorfleet.console.support.ConsoleProcess;
import io.sensorfleet.console.support.ThrowawayPostgres;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged console while its PostgreSQL is down: the operator plane says 503 with Retry-After
 * (a problem, as the agent plane does) on the API, with a token and without, and on the web login,
 * checked with curl.
 */
class DatabaseOutageIT {

    @Test
    void operatorPlaneAnswers503WithRetryAfterWhileTheDatabaseIsDown() throws Exception {
        ThrowawayPostgres pg = ThrowawayPostgres.start();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try (ConsoleProcess console = ConsoleProcess.start(pg, Base64.getEncoder().encodeToString(key), Map.of())) {
            // A loaded machine can be slow to accept the first connections: retry until the console answers.
            String token = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(90))
                    .pollInterval(java.time.Duration.ofSeconds(2)).ignoreExceptions().until(() -> tokenOf(console),
                            t -> t != null && !t.contains("{"));
            pg.close();

            String ca = console.dataDir.resolve("tls/operator-cert.pem").toString();
            String base = console.operatorBaseUri();
            assertUnavailable(curl(ca, "-X", "POST", "-H", "Content-Type: application/json",
                    "--data-binary", "{\"username\":\"admin\",\"password\":\"whatever-it-is\"}", base + "/api/v1/auth/login"));
            assertUnavailable(curl(ca, "-H", "Authorization: Bearer " + token, base + "/api/v1/sensors"));
            assertUnavailable(curl(ca, "-X", "POST", "-H", "Cookie: sf_login_csrf=abc", "--data",
                    "_csrf=abc&username=admin&password=whatever-it-is", base + "/ui/login"));
        } finally {
            pg.close();
        }
    }

    private static String tokenOf(ConsoleProcess console) throws Exception {
        String body = console.call("POST", "/api/v1/auth/login",
                Map.of("username", "admin", "password", ConsoleProcess.ADMIN_PASSWORD)).body();
        return body.replaceAll(".*\"token\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    }

    private static String curl(String ca, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("curl", "-sS", "-i", "--max-time", "30", "--cacert", ca));
        cmd.addAll(List.of(args));
        Cli.Result r = Cli.run(cmd, null);
        assertEquals(0, r.exit(), r.all());
        return r.out();
    }

    private static void assertUnavailable(String response) {
        String head = response.substring(0, Math.max(0, response.indexOf("\r\n\r\n")));
        assertTrue(head.startsWith("HTTP/1.1 503") || head.startsWith("HTTP/2 503"), response);
        assertTrue(head.toLowerCase().contains("retry-after:"), response);
        assertTrue(head.toLowerCase().contains("content-type: application/problem+json"), response);
        assertTrue(response.contains("database-unavailable"), response);
    }
}
