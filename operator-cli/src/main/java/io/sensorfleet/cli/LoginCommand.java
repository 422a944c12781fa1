package io.sensorfleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Exchanges a user name and password for a token (POST /api/v1/auth/login) and keeps it with the
 * console URL and the CA file in the login file (0600). The password never comes from the command
 * line: a prompt without echo, stdin when no terminal is attached, or --password-file.
 */
@Command(name = "login", description = "Log in to a console and keep the token (asks what is not given).")
final class LoginCommand implements Callable<Integer> {
    private final Context ctx;

    @Option(names = "--console", paramLabel = "URL", description = "Console URL, e.g. https://console.example:8443.")
    String console;

    @Option(names = {"--user", "-u"}, paramLabel = "NAME", description = "User name.")
    String user;

    @Option(names = "--password-file", paramLabel = "FILE", description = "Read the password from this file (first line).")
    Path passwordFile;

    @Option(names = "--ca", paramLabel = "PEM", description = "CA certificate(s) to trust for the console; default: the system trust store.")
    Path ca;

    LoginCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws IOException {
        URI url = ApiOptions.consoleUri(console != null ? console : ask("Console URL: "));
        String name = user != null ? user : ask("User: ");
        if (name.isBlank()) {
            throw CliException.usage("no user name");
        }
        if (ca != null) {
            Tls.context(ca);
        }
        String password = password();
        Map<String, String> body = new LinkedHashMap<>();
        body.put("username", name);
        body.put("password", password);
        JsonNode answer = ConsoleClient.forLogin(url, ca).post("/api/v1/auth/login", body);
        String token = answer.path("token").asText("");
        if (token.isEmpty()) {
            throw new CliException(CliException.REFUSED, "the console answered the login without a token");
        }
        Instant expires = answer.hasNonNull("expiresAt") ? Instant.parse(answer.get("expiresAt").asText()) : null;
        SessionStore store = ctx.sessions();
        store.save(new Session(url, name, token, expires, ca == null ? null : ca.toAbsolutePath()));
        ctx.out().println("Logged in to " + url + " as " + name
                + (expires == null ? "" : " until " + expires) + "; token kept in " + store.file());
        ctx.out().flush();
        return 0;
    }

    private String password() throws IOException {
        if (passwordFile != null) {
            if (!Files.isRegularFile(passwordFile)) {
                throw CliException.usage("no such password file: " + passwordFile);
            }
            String first = Files.readString(passwordFile).lines().findFirst().orElse("");
            if (first.isEmpty()) {
                throw CliException.usage("password file " + passwordFile + " is empty");
            }
            return first;
        }
        if (ctx.passwords() != null) {
            char[] p = ctx.passwords().read("Password: ");
            if (p == null || p.length == 0) {
                throw CliException.usage("no password given");
            }
            return new String(p);
        }
        return ask("Password: ");
    }

    private String ask(String prompt) throws IOException {
        ctx.err().print(prompt);
        ctx.err().flush();
        String line = ctx.in().readLine();
        if (line == null || line.isBlank()) {
            throw CliException.usage("nothing given for '" + prompt.replace(": ", "") + "'");
        }
        return line.strip();
    }
}
