package io.sensorfleet.console.settings;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sensorfleet.console.certificates.CertificateValidationPolicy;
import io.sensorfleet.lib.settings.SettingsCatalog;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * The certificate-validation toggle as the console itself applies it: the GLOBAL value of
 * {@code certificates.validation}, else the catalogue default (on).
 */
@ApplicationScoped
public class CertificateValidationSetting implements CertificateValidationPolicy {
    static final String KEY = "certificates.validation";

    private final EffectiveSettings effective;

    CertificateValidationSetting(EffectiveSettings effective) {
        this.effective = effective;
    }

    @Override
    public boolean enabled() {
        return QuarkusTransaction.joiningExisting().call(() -> effective.rows(List.of()).stream()
                .filter(r -> r.scope() == SettingsScope.GLOBAL && r.key().equals(KEY) && r.value() != null)
                .map(r -> Boolean.TRUE.equals(r.value()))
                .findFirst()
                .orElse(Boolean.TRUE.equals(SettingsCatalog.find(KEY).orElseThrow().defaultValue())));
    }
}
