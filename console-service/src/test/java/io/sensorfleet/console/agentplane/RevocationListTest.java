package io.sensorfleet.console.agentplane;

import io.sensorfleet.console.certificates.InternalCa;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RevocationListTest {
    private static final Instant AT = Instant.parse("2026-12-06T10:00:00Z");

    /** A "CRL" that is the sorted serials in text, so a test can read what it was built from. */
    private static byte[] listed(List<InternalCa.Revoked> revoked) {
        TreeSet<BigInteger> serials = new TreeSet<>();
        revoked.forEach(r -> serials.add(r.serial()));
        return serials.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(byte[] crl) {
        return new String(crl, StandardCharsets.US_ASCII);
    }

    @Test
    void aRevocationArrivingWhileTheCrlIsBuiltIsInTheNextCrl() {
        AtomicReference<RevocationList> list = new AtomicReference<>();
        AtomicInteger builds = new AtomicInteger();
        list.set(new RevocationList(null, revoked -> {
            byte[] crl = listed(revoked);
            if (builds.incrementAndGet() == 2) {
                // the poll adds a serial after this build took its copy of the set
                list.get().add(BigInteger.valueOf(3), AT);
            }
            return crl;
        }));
        RevocationList crls = list.get();
        crls.add(BigInteger.ONE, AT);
        assertEquals("[1]", text(crls.crl()));
        crls.add(BigInteger.TWO, AT);
        assertEquals("[1, 2]", text(crls.crl()), "built before the third serial was added");
        assertEquals("[1, 2, 3]", text(crls.crl()));
        assertEquals(3, builds.get());
    }

    @Test
    void anUnchangedSetIsSignedOnce() {
        AtomicInteger builds = new AtomicInteger();
        RevocationList crls = new RevocationList(null, revoked -> {
            builds.incrementAndGet();
            return listed(revoked);
        });
        assertTrue(crls.add(BigInteger.TEN, AT));
        assertFalse(crls.add(BigInteger.TEN, AT), "already known");
        crls.crl();
        crls.crl();
        assertEquals("[10]", text(crls.crl()));
        assertEquals(1, builds.get());
        assertTrue(crls.isRevoked(BigInteger.TEN));
    }
}
