package io.sensorfleet.agent.appliance;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The proxy: one environment file ({@code HTTP_PROXY}, {@code HTTPS_PROXY} and their lower-case
 * twins) that the engine's unit reads with {@code EnvironmentFile=}. The agent's only peer is the
 * console on the management network, reached directly. The file holds the password, so only its
 * owner and group may read it.
 */
final class Proxy implements Category {
    static final String KEY = "network.proxy";
    static final String USER = "network.proxyUser";
    static final String PASSWORD = "network.proxyPassword";

    private final ApplianceConfig config;

    Proxy(ApplianceConfig config) {
        this.config = config;
    }

    @Override
    public Set<String> keys() {
        return Set.of(KEY, USER);
    }

    @Override
    public void apply(Map<String, Object> values) throws ApplianceException {
        if (!values.containsKey(KEY)) {
            return;
        }
        String proxy = values.get(KEY) == null ? "" : values.get(KEY).toString();
        StringBuilder out = new StringBuilder("# written by sensor-agent from the console's settings\n");
        if (!proxy.isEmpty()) {
            String auth = "";
            if (values.get(USER) instanceof String user && !user.isEmpty()) {
                auth = enc(user) + (values.get(PASSWORD) instanceof String pw ? ":" + enc(pw) : "") + "@";
            }
            String url = "http://" + auth + proxy;
            for (String name : new String[]{"HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"}) {
                out.append(name).append('=').append(url).append('\n');
            }
            out.append("NO_PROXY=localhost,127.0.0.1,::1\nno_proxy=localhost,127.0.0.1,::1\n");
        }
        try {
            SystemFiles.write(config.systemRoot().resolve(config.proxyFile()), out.toString(), "rw-r-----");
        } catch (IOException e) {
            throw new ApplianceException(KEY, "cannot write " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, Object> read(Map<String, Object> desired) {
        Map<String, Object> out = new LinkedHashMap<>();
        Optional<String> file = SystemFiles.read(config.systemRoot().resolve(config.proxyFile()));
        if (file.isEmpty()) {
            return out;
        }
        out.put(KEY, "");
        url(file.get()).ifPresent(u -> {
            out.put(KEY, u.getHost() + ":" + u.getPort());
            if (u.getRawUserInfo() != null) {
                out.put(USER, URLDecoder.decode(u.getRawUserInfo().split(":", 2)[0], StandardCharsets.UTF_8));
            }
        });
        return out;
    }

    /** The proxy URL the file names, if any. */
    static Optional<URI> url(String envFile) {
        for (String line : envFile.lines().toList()) {
            if (line.startsWith("HTTPS_PROXY=")) {
                try {
                    return Optional.of(URI.create(line.substring("HTTPS_PROXY=".length()).strip()));
                } catch (IllegalArgumentException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
