package io.sensorfleet.agent.update;

import io.sensorfleet.lib.packages.PackageException;
import io.sensorfleet.lib.packages.PackageSignature;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The vendor keys a sensor trusts for update packages. They are pinned in the agent package
 * ({@link #PINNED}) and change only by rotation: a new key list accepted only when it is signed
 * (Ed25519, the {@code manifest.sig} format) by a key trusted at that moment. A key the console
 * names is never trusted for that alone, so a compromised console cannot push code.
 * <p>
 * Accepted lists are kept in the state directory as a numbered chain ({@code vendor-keys/0001.pem}
 * with {@code 0001.sig}, …) and replayed from the pinned keys at every load: a list written into
 * the state directory by anything else than an accepted rotation breaks the chain there and is
 * ignored, with the keys trusted before it.
 */
public final class VendorKeyRing {
    /** Where the agent package installs the vendor's public keys (PEM, several may follow each other). */
    public static final Path PINNED = Path.of("/usr/share/sensorfleet-agent/vendor-keys.pem");
    static final String CHAIN_DIR = "vendor-keys";

    private final Path pinned;
    private final Path chain;

    public VendorKeyRing(Path pinned, Path stateDir) {
        this.pinned = pinned;
        this.chain = stateDir.resolve(CHAIN_DIR);
    }

    /** The keys trusted now, by key id: the last list of an unbroken rotation chain, else the pinned ones. */
    public Map<String, PublicKey> trusted() throws IOException {
        return replay().trusted;
    }

    /**
     * Accepts {@code keyList} (PEM public keys) as the trusted keys if {@code signature} (a
     * {@code manifest.sig} document over the list's exact bytes) verifies with a key trusted now.
     *
     * @return the id of the key that signed the rotation
     */
    public String rotate(byte[] keyList, byte[] signature) throws UpdateException, IOException {
        Replay now = replay();
        String signer;
        try {
            signer = PackageSignature.verify(keyList, signature, now.trusted);
        } catch (PackageException e) {
            throw new UpdateException("the vendor key list is refused: " + e.getMessage());
        }
        try {
            PackageSignature.publicKeys(new String(keyList, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new UpdateException("the vendor key list is refused: " + e.getMessage());
        }
        Files.createDirectories(chain);
        String name = String.format("%04d", now.links + 1);
        // The signature first, the list last: a list without its signature is no link of the chain.
        write(chain.resolve(name + ".sig"), signature);
        write(chain.resolve(name + ".pem"), keyList);
        return signer;
    }

    /** Replays the chain from the pinned keys: each list counts only if the keys before it signed it. */
    private Replay replay() throws IOException {
        Map<String, PublicKey> trusted = PackageSignature.publicKeys(Files.readString(pinned));
        int n = 0;
        for (Link link : links()) {
            try {
                PackageSignature.verify(link.pem, link.sig, trusted);
                trusted = PackageSignature.publicKeys(new String(link.pem, StandardCharsets.UTF_8));
                n++;
            } catch (PackageException | IllegalArgumentException e) {
                break;
            }
        }
        return new Replay(trusted, n);
    }

    /** The stored lists in order, 0001, 0002, … up to the first missing number. */
    private List<Link> links() throws IOException {
        List<Link> links = new ArrayList<>();
        for (int i = 1; ; i++) {
            String name = String.format("%04d", i);
            Path pem = chain.resolve(name + ".pem");
            Path sig = chain.resolve(name + ".sig");
            if (!Files.isRegularFile(pem) || !Files.isRegularFile(sig)) {
                return links;
            }
            links.add(new Link(Files.readAllBytes(pem), Files.readAllBytes(sig)));
        }
    }

    private static void write(Path target, byte[] content) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.write(tmp, content);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private record Link(byte[] pem, byte[] sig) {
    }

    private record Replay(Map<String, PublicKey> trusted, int links) {
    }
}
