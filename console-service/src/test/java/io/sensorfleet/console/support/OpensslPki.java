package io.sensorfleet.console.support;

import io.sensorfleet.protocol.v1.enrollment.Fingerprints;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Certificates, keys and CRLs made with the openssl command line in a temporary directory, the
 * way an operator's PKI makes them: a root CA ({@code ca}), and whatever a test asks for signed by
 * it or by an intermediate. Files are named {@code <name>.crt}, {@code <name>.key}.
 */
public final class OpensslPki {
    private final Path dir;

    private OpensslPki(Path dir) {
        this.dir = dir;
    }

    /** A new directory with a root CA "Test Root CA" (RSA 2048, SHA-256) and the files {@code openssl ca} needs. */
    public static OpensslPki create(String prefix) {
        try {
            OpensslPki pki = new OpensslPki(Files.createTempDirectory(prefix));
            pki.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "30", "-subj", "/CN=Test Root CA",
                    "-keyout", pki.p("ca.key"), "-out", pki.p("ca.crt"));
            Files.createDirectories(pki.dir.resolve("newcerts"));
            Files.writeString(pki.dir.resolve("index.txt"), "");
            Files.writeString(pki.dir.resolve("serial"), "1000\n");
            Files.writeString(pki.dir.resolve("crlnumber"), "1000\n");
            Files.writeString(pki.dir.resolve("ca.cnf"), "[ca]\ndefault_ca=CA_default\n[CA_default]\ndir=" + pki.dir + "\n"
                    + "database=" + pki.p("index.txt") + "\nnew_certs_dir=" + pki.p("newcerts") + "\nserial=" + pki.p("serial")
                    + "\ncrlnumber=" + pki.p("crlnumber") + "\ndefault_md=sha256\ndefault_crl_days=1\npolicy=policy_any\n"
                    + "copy_extensions=copy\nunique_subject=no\n[policy_any]\ncommonName=supplied\n");
            return pki;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    public String p(String name) {
        return dir.resolve(name).toString();
    }

    public String read(String name) {
        try {
            return Files.readString(dir.resolve(name));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public void write(String name, String content) {
        try {
            Files.writeString(dir.resolve(name), content);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public void openssl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Cli.Result r = Cli.run(cmd, null);
        assertEquals(0, r.exit(), String.join(" ", cmd) + "\n" + r.all());
    }

    public void rsaKey(String name, int bits) {
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:" + bits, "-out", p(name));
    }

    /** An intermediate CA {@code name} signed by the root. */
    public void intermediate(String name) {
        write(name + ".ext", "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n");
        rsaKey(name + ".key", 2048);
        openssl("req", "-new", "-key", p(name + ".key"), "-subj", "/CN=Test Intermediate CA", "-out", p(name + ".csr"));
        openssl("x509", "-req", "-in", p(name + ".csr"), "-CA", p("ca.crt"), "-CAkey", p("ca.key"), "-CAcreateserial",
                "-days", "20", "-sha256", "-extfile", p(name + ".ext"), "-out", p(name + ".crt"));
    }

    /**
     * A leaf {@code name} for CN=localhost with an RSA key of {@code bits}, signed by {@code issuer} with
     * {@code digest} (-sha256, -sha1), with the extensions in the file {@code ext}.
     */
    public void leaf(String name, int bits, String digest, String ext, String issuer) {
        csr(name, bits);
        openssl("x509", "-req", "-in", p(name + ".csr"), "-CA", p(issuer + ".crt"), "-CAkey", p(issuer + ".key"),
                "-CAcreateserial", "-days", "10", digest, "-extfile", p(ext), "-out", p(name + ".crt"));
    }

    /** An RSA key {@code name}.key of {@code bits} and a request {@code name}.csr for CN=localhost. */
    public void csr(String name, int bits) {
        rsaKey(name + ".key", bits);
        openssl("req", "-new", "-key", p(name + ".key"), "-subj", "/CN=localhost", "-out", p(name + ".csr"));
    }

    /**
     * A leaf signed by the root through {@code openssl ca}, which records it in the CA's database so
     * it can be revoked; {@code startDate}/{@code endDate} (YYYYMMDDHHMMSSZ) may be null for "now, +10 days".
     * openssl x509 cannot backdate; openssl ca can.
     */
    public void caSigned(String name, String csrOf, String ext, String startDate, String endDate) {
        List<String> args = new ArrayList<>(List.of("ca", "-batch", "-config", p("ca.cnf"), "-cert", p("ca.crt"),
                "-keyfile", p("ca.key"), "-in", p(csrOf + ".csr"), "-out", p(name + ".crt"), "-extfile", p(ext), "-notext"));
        if (startDate != null) {
            args.addAll(List.of("-startdate", startDate, "-enddate", endDate));
        } else {
            args.addAll(List.of("-days", "10"));
        }
        openssl(args.toArray(String[]::new));
    }

    /** A TLS context whose server side presents {@code name}.crt and the root with the RSA key {@code name}.key. */
    public javax.net.ssl.SSLContext serverTls(String name) {
        try {
            var certs = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(
                    new java.io.ByteArrayInputStream((read(name + ".crt") + read("ca.crt")).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            String body = read(name + ".key").replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
            var key = java.security.KeyFactory.getInstance("RSA").generatePrivate(
                    new java.security.spec.PKCS8EncodedKeySpec(java.util.Base64.getDecoder().decode(body)));
            java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(name, key, new char[0], certs.toArray(new java.security.cert.Certificate[0]));
            javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance("PKIX");
            kmf.init(ks, new char[0]);
            javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
            tls.init(kmf.getKeyManagers(), null, null);
            return tls;
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a TLS context for " + name, e);
        }
    }

    /** SHA-256 of the certificate a fresh TLS connection to 127.0.0.1:{@code port} presents, per openssl s_client. */
    public static String presentedFingerprint(int port) {
        Cli.Result r = Cli.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", "localhost"), "Q\n");
        int begin = r.out().indexOf("-----BEGIN CERTIFICATE-----");
        int end = r.out().indexOf("-----END CERTIFICATE-----");
        if (begin < 0) {
            throw new AssertionError("openssl s_client got no certificate from port " + port + ":\n" + r.all());
        }
        return fingerprint(r.out().substring(begin, end + "-----END CERTIFICATE-----".length()));
    }

    /** SHA-256 of a PEM or DER certificate, lower-case hex. */
    public static String fingerprint(String pemOrDer) {
        try {
            return Fingerprints.sha256Hex(TestSensor.certificate(pemOrDer).getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Marks {@code name}.crt revoked in the root's database (see {@link #crl}). */
    public void revoke(String name) {
        openssl("ca", "-batch", "-config", p("ca.cnf"), "-cert", p("ca.crt"), "-keyfile", p("ca.key"), "-revoke", p(name + ".crt"));
    }

    /** The root's CRL now, DER (as CRL distribution points serve it). */
    public byte[] crl() {
        openssl("ca", "-batch", "-config", p("ca.cnf"), "-cert", p("ca.crt"), "-keyfile", p("ca.key"), "-gencrl",
                "-out", p("ca.crl.pem"));
        openssl("crl", "-in", p("ca.crl.pem"), "-outform", "DER", "-out", p("ca.crl"));
        try {
            return Files.readAllBytes(dir.resolve("ca.crl"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
