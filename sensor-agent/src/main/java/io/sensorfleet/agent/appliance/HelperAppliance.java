package io.sensorfleet.agent.appliance;

import io.sensorfleet.lib.json.Json;
import io.sensorfleet.agent.AgentJson;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The unprivileged agent's side of the appliance: each operation is one request over the
 * privileged helper's Unix socket ({@link ApplianceHelper} on the other end). The agent itself
 * holds no capability and writes no system file.
 */
public final class HelperAppliance implements Appliance {
    private final Path socket;
    private final Json json = AgentJson.mapper();
    private Set<String> keys;

    public HelperAppliance(Path socket) {
        this.socket = socket;
    }

    @Override
    public synchronized Set<String> keys() {
        if (keys == null) {
            try {
                keys = Set.copyOf(call(new ApplianceHelper.Request(ApplianceHelper.Op.KEYS, null, null)).keys());
            } catch (ApplianceException e) {
                // Unreachable helper: nothing is managed this time; asked again next time.
                return Set.of();
            }
        }
        return keys;
    }

    @Override
    public void apply(Map<String, Object> values) throws ApplianceException {
        call(new ApplianceHelper.Request(ApplianceHelper.Op.APPLY, values, null));
    }

    @Override
    public Map<String, Object> readBack(Map<String, Object> desired) {
        try {
            return call(new ApplianceHelper.Request(ApplianceHelper.Op.READ_BACK, desired, null)).values();
        } catch (ApplianceException e) {
            return Map.of();
        }
    }

    @Override
    public NetworkSnapshot snapshotNetwork() throws ApplianceException {
        return call(new ApplianceHelper.Request(ApplianceHelper.Op.SNAPSHOT_NETWORK, null, null)).snapshot();
    }

    @Override
    public void restoreNetwork(NetworkSnapshot snapshot) throws ApplianceException {
        call(new ApplianceHelper.Request(ApplianceHelper.Op.RESTORE_NETWORK, null, snapshot));
    }

    private ApplianceHelper.Response call(ApplianceHelper.Request request) throws ApplianceException {
        String key = request.values() == null || request.values().isEmpty() ? "appliance"
                : request.values().keySet().iterator().next();
        ApplianceHelper.Response response;
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap(json.writeValueAsBytes(request)));
            ch.shutdownOutput();
            response = json.readValue(Channels.newInputStream(ch), ApplianceHelper.Response.class);
        } catch (IOException e) {
            throw new ApplianceException(key, "the privileged helper at " + socket + " did not answer: " + e.getMessage(), e);
        }
        if (!response.ok()) {
            throw new ApplianceException(response.key() == null ? key : response.key(), response.error());
        }
        return response;
    }
}
