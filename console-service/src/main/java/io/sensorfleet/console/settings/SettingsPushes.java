package io.sensorfleet.console.settings;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sensorfleet.protocol.v1.settings.SettingsPush;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What sensors are sent as their settings: the effective values, secrets opened, under the revision each should run. */
@ApplicationScoped
public class SettingsPushes {
    private final EffectiveSettings effective;

    @Inject
    SettingsPushes(EffectiveSettings effective) {
        this.effective = effective;
    }

    /**
     * In a transaction of its own (the long-poll threads have none); one batch whatever the number of
     * sensors. Sensors with the same values under the same revision get the same {@link SettingsPush}
     * instance, so its answer is encoded once (see {@code AgentRequests.reply}).
     */
    public Map<UUID, SettingsPush> resolve(Map<UUID, Long> revisions) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Map<UUID, SettingsPush> out = new HashMap<>();
            Map<Map<String, EffectiveSettings.Value>, Map<Long, SettingsPush>> same = new IdentityHashMap<>();
            effective.resolve(revisions.keySet(), true, List.of()).forEach((id, values) ->
                    out.put(id, same.computeIfAbsent(values, v -> new HashMap<>()).computeIfAbsent(
                            revisions.getOrDefault(id, 0L), rev -> new SettingsPush(rev, EffectiveSettings.plain(values)))));
            return out;
        });
    }
}
