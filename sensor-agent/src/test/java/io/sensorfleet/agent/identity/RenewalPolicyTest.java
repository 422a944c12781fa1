package io.sensorfleet.agent.identity;

import io.sensorfleet.agent.testing.TestCa;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RenewalPolicyTest {
    private static final Instant NOT_BEFORE = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant NOT_AFTER = NOT_BEFORE.plus(Duration.ofDays(30));
    private static final Instant TWO_THIRDS = NOT_BEFORE.plus(Duration.ofDays(20));

    private final RenewalPolicy policy = new RenewalPolicy();
    private final X509Certificate certificate = TestCa.create("CA").issue(TestCa.newKeyPair().getPublic(), "sensor-1",
            NOT_BEFORE, NOT_AFTER, KeyPurposeId.id_kp_clientAuth);

    @Test
    void renewalIsDueExactlyAtTwoThirdsOfTheLifetime() {
        Clock clock = Clock.fixed(TWO_THIRDS, ZoneOffset.UTC);

        assertEquals(TWO_THIRDS, policy.renewAt(certificate));
        assertTrue(policy.isDue(certificate, clock.instant()));
    }

    @Test
    void renewalIsNotDueAMillisecondBefore() {
        Clock clock = Clock.fixed(TWO_THIRDS.minusMillis(1), ZoneOffset.UTC);

        assertFalse(policy.isDue(certificate, clock.instant()));
    }

    @Test
    void renewalStaysDueAfterwards() {
        assertTrue(policy.isDue(certificate, NOT_AFTER.plusSeconds(1)));
    }
}
