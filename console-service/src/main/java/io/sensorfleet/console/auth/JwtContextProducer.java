package io.sensorfleet.console.auth;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Set;

/**
 * Verification settings for operator tokens. The key is not a file but the one created at first
 * start and kept in the database, so every instance accepts every instance's tokens. Only ES256 is
 * accepted: unsigned ({@code alg=none}) and other algorithms fail.
 */
public class JwtContextProducer {

    @Produces
    @Alternative
    @Priority(1)
    @ApplicationScoped
    JWTAuthContextInfo contextInfo(JwtKeys keys, @ConfigProperty(name = "mp.jwt.verify.issuer") String issuer) {
        JWTAuthContextInfo info = new JWTAuthContextInfo(keys.publicKey(), issuer);
        info.setSignatureAlgorithm(Set.of(SignatureAlgorithm.ES256));
        info.setRequireNamedPrincipal(true);
        info.setExpGracePeriodSecs(0);
        return info;
    }
}
