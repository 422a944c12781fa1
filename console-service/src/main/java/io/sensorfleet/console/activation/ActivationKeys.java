package io.sensorfleet.console.activation;

import io.sensorfleet.console.common.Sql;
import io.sensorfleet.console.platform.ProblemType;
import io.sensorfleet.console.platform.KeyPairs;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.secrets.SecretBox;
import io.sensorfleet.lib.activation.ActivationFile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys that sign activation files. The newest unretired key signs; every unretired key is
 * trusted, so a key can be rotated without invalidating files already issued, and retired when
 * those files should stop being accepted. Private keys are sealed with the master key.
 */
@ApplicationScoped
public class ActivationKeys {
    /** A key as operators and agents see it. */
    public record KeyView(String kid, String publicKey, Instant createdAt, Instant retiredAt) {
    }

    record Signing(String kid, PrivateKey key) {
    }

    private final EntityManager em;
    private final SecretBox box;
    private final Clock clock;

    ActivationKeys(EntityManager em, SecretBox box, Clock clock) {
        this.em = em;
        this.box = box;
        this.clock = clock;
    }

    /** The signing key, created on first use (once for all instances). */
    Signing current() {
        return QuarkusTransaction.joiningExisting().call(() -> {
            em.createNativeQuery("select pg_advisory_xact_lock(hashtext('activation-keys'))").getSingleResult();
            Sql.Row r = Sql.row(em, "select kid, private_sealed from activation_keys "
                    + "where retired_at is null order by created_at desc limit 1");
            if (r == null) {
                return create();
            }
            String kid = r.string(0);
            return new Signing(kid, privateKey(box.open(r.bytes(1), "activation-key:" + kid)));
        });
    }

    public List<KeyView> all() {
        current();
        return Sql.list(em, "select kid, public_pem, created_at, retired_at from activation_keys order by created_at desc",
                r -> new KeyView(r.string(0), r.string(1), r.instant(2), r.instant(3)));
    }

    /** Trusted public keys by key id. */
    public Map<String, PublicKey> trusted() {
        Map<String, PublicKey> out = new LinkedHashMap<>();
        all().stream().filter(k -> k.retiredAt() == null).forEach(k -> out.put(k.kid(), publicKey(k.publicKey())));
        return out;
    }

    public KeyView rotate() {
        Signing s = QuarkusTransaction.joiningExisting().call(this::create);
        return all().stream().filter(k -> k.kid().equals(s.kid())).findFirst().orElseThrow();
    }

    public KeyView retire(String kid) {
        int changed = em.createNativeQuery("update activation_keys set retired_at = ?1 where kid = ?2 and retired_at is null")
                .setParameter(1, clock.instant()).setParameter(2, kid).executeUpdate();
        if (changed == 0 && all().stream().noneMatch(k -> k.kid().equals(kid))) {
            throw ProblemException.notFound("activation key", kid);
        }
        if (all().stream().allMatch(k -> k.retiredAt() != null)) {
            throw new ProblemException(ProblemType.LAST_KEY, "at least one activation key must stay trusted; rotate first");
        }
        return all().stream().filter(k -> k.kid().equals(kid)).findFirst().orElseThrow();
    }

    private Signing create() {
        KeyPair kp = KeyPairs.newEcP256();
        String kid = ActivationFile.keyId(kp.getPublic());
        em.createNativeQuery("insert into activation_keys (kid, public_pem, private_sealed, created_at) values (?1, ?2, ?3, ?4)")
                .setParameter(1, kid).setParameter(2, Base64.getEncoder().encodeToString(kp.getPublic().getEncoded()))
                .setParameter(3, box.seal(kp.getPrivate().getEncoded(), "activation-key:" + kid))
                .setParameter(4, clock.instant()).executeUpdate();
        return new Signing(kid, kp.getPrivate());
    }

    static PublicKey publicKey(String base64) {
        try {
            return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored activation key cannot be read", e);
        }
    }

    private static PrivateKey privateKey(byte[] pkcs8) {
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored activation key cannot be read", e);
        }
    }

}
