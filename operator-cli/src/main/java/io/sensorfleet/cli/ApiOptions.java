package io.sensorfleet.cli;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Options every API command takes: where the token comes from and how to print. A script can skip
 * login with --token-file or SENSORFLEET_TOKEN (an API token), naming the console with --console or
 * SENSORFLEET_CONSOLE and its CA with --ca or SENSORFLEET_CA; anything not given comes from the login.
 */
public final class ApiOptions {
    @Option(names = "--json", description = "Print the API's JSON (one document) instead of a table.")
    boolean json;

    @Option(names = "--console", paramLabel = "URL", description = "Console URL (https://host:8443); default: the login's, or $SENSORFLEET_CONSOLE.")
    String console;

    @Option(names = "--ca", paramLabel = "PEM", description = "CA certificate(s) to trust for the console; default: the login's, or $SENSORFLEET_CA, or the system trust store.")
    Path ca;

    @Option(names = "--token-file", paramLabel = "FILE", description = "Read the bearer token from this file instead of the login ($SENSORFLEET_TOKEN also works).")
    Path tokenFile;

    public boolean json() {
        return json;
    }

    /** A client for the console, or exit 4 when there is no usable token. */
    public ConsoleClient client(Context ctx) {
        Optional<Session> login = ctx.sessions().load();
        String token = explicitToken(ctx);
        if (token == null) {
            Session s = login.orElseThrow(() -> CliException.notLoggedIn(
                    "not logged in: run 'sensorfleet login' (or give --token-file / SENSORFLEET_TOKEN)"));
            if (s.expiredAt(ctx.clock().instant())) {
                throw CliException.notLoggedIn("the login token expired at " + s.expiresAt() + ": run 'sensorfleet login'");
            }
            token = s.token();
        }
        String url = firstOf(console, ctx.env().get("SENSORFLEET_CONSOLE"), login.map(s -> s.console().toString()).orElse(null));
        if (url == null) {
            throw CliException.usage("no console URL: give --console or set SENSORFLEET_CONSOLE");
        }
        Path caFile = ca != null ? ca
                : ctx.env().get("SENSORFLEET_CA") != null && !ctx.env().get("SENSORFLEET_CA").isBlank() ? Path.of(ctx.env().get("SENSORFLEET_CA"))
                : login.map(Session::caFile).orElse(null);
        return new ConsoleClient(consoleUri(url), token, caFile);
    }

    private String explicitToken(Context ctx) {
        if (tokenFile != null) {
            try {
                String t = Files.readString(tokenFile).strip();
                if (t.isEmpty()) {
                    throw CliException.usage("token file " + tokenFile + " is empty");
                }
                return t;
            } catch (IOException e) {
                throw CliException.usage("cannot read token file " + tokenFile + ": " + e.getMessage());
            }
        }
        String env = ctx.env().get("SENSORFLEET_TOKEN");
        return env == null || env.isBlank() ? null : env.strip();
    }

    /** An https URL with a host and nothing after the port; http is refused, a token never travels in clear. */
    public static URI consoleUri(String url) {
        URI u;
        try {
            u = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw CliException.usage("not a URL: " + url);
        }
        if (!"https".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) {
            throw CliException.usage("the console URL must be https://host[:port], got: " + url);
        }
        if (u.getRawQuery() != null || u.getRawFragment() != null || u.getRawUserInfo() != null) {
            throw CliException.usage("the console URL must be https://host[:port], got: " + url);
        }
        return URI.create("https://" + u.getRawAuthority() + "/");
    }

    private static String firstOf(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
