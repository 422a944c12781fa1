package io.sensorfleet.console.certificates;

import io.sensorfleet.console.platform.ProblemType;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.tls.CertificateUpdatedEvent;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.sensorfleet.console.platform.AuditContext;
import io.sensorfleet.console.common.ConsoleConfig;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.common.Sql;
import io.sensorfleet.console.secrets.SecretBox;
import io.sensorfleet.lib.certificates.CertificateBundle;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Replaces the operator-plane certificate without a restart. An upload is checked, stored in the
 * database (key sealed) and installed at once on this instance; every other instance installs the
 * newest stored certificate within seconds. Installing means writing the files the HTTPS listener
 * reads and asking the TLS registry to reload them: new connections get the new certificate. A
 * refused upload changes nothing.
 */
@ApplicationScoped
public class OperatorCertificateService {
    private static final Logger LOG = Logger.getLogger(OperatorCertificateService.class);

    private final EntityManager em;
    private final SecretBox box;
    private final ConsoleConfig console;
    private final TlsConfigurationRegistry registry;
    private final Event<CertificateUpdatedEvent> updated;
    private final AuditContext audit;
    private final Clock clock;

    OperatorCertificateService(EntityManager em, SecretBox box, ConsoleConfig console,
                               TlsConfigurationRegistry registry, Event<CertificateUpdatedEvent> updated,
                               AuditContext audit, Clock clock) {
        this.em = em;
        this.box = box;
        this.console = console;
        this.registry = registry;
        this.updated = updated;
        this.audit = audit;
        this.clock = clock;
    }

    private volatile long installed = -1;

    public CertificateInfo upload(CertificateBundle bundle, boolean validationOn, String actor) {
        CertificateChecks.check(bundle, clock.instant(), names(), validationOn);
        StringBuilder chain = new StringBuilder(Pem.write(bundle.leaf()));
        bundle.chain().forEach(c -> chain.append(Pem.write(c)));
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("insert into operator_certificates (chain_pem, "
                        + "key_sealed, subject, not_after, uploaded_by, uploaded_at) values (?1, ?2, ?3, ?4, ?5, ?6)")
                .setParameter(1, chain.toString())
                .setParameter(2, box.seal(Pem.pkcs8(bundle.key()).getBytes(StandardCharsets.US_ASCII), "operator-certificate"))
                .setParameter(3, bundle.leaf().getSubjectX500Principal().getName())
                .setParameter(4, bundle.leaf().getNotAfter().toInstant())
                .setParameter(5, actor).setParameter(6, clock.instant()).executeUpdate());
        audit.detail("new operator certificate " + bundle.leaf().getSubjectX500Principal().getName());
        installNewest();
        return CertificateInfo.of(bundle.leaf(), true);
    }

    /** The certificate the listener presents now. */
    public CertificateInfo current() {
        try {
            String pem = Files.readString(dir().resolve("operator-cert.pem"));
            return CertificateInfo.of(Pem.certificate(pem), null);
        } catch (IOException e) {
            throw new ProblemException(ProblemType.NOT_FOUND, "no operator certificate is installed: " + e.getMessage());
        }
    }

    /** The certificate the listener presents now, if one is installed. */
    public Optional<X509Certificate> installedCertificate() {
        try {
            return Optional.of(Pem.certificate(Files.readString(dir().resolve("operator-cert.pem"))));
        } catch (IOException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    /** Names a certificate must cover: configured ones, else this host's name, localhost and 127.0.0.1. */
    public Set<String> names() {
        Set<String> names = new LinkedHashSet<>(console.hostnames().orElse(List.of()));
        if (names.isEmpty()) {
            try {
                names.add(InetAddress.getLocalHost().getHostName());
            } catch (IOException e) {
                // the loopback names below still apply
            }
            names.add("localhost");
            names.add("127.0.0.1");
        }
        return names;
    }

    @Scheduled(every = "${sensorfleet.console.certificate-poll-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void installNewest() {
        Sql.Row row = QuarkusTransaction.requiringNew().call(() -> Sql.row(em,
                "select id, chain_pem, key_sealed from operator_certificates order by id desc limit 1"));
        if (row == null || row.longValue(0) == installed) {
            return;
        }
        long id = row.longValue(0);
        try {
            Path dir = dir();
            Files.createDirectories(dir);
            write(dir.resolve("operator-key.pem"), new String(box.open(row.bytes(2), "operator-certificate"),
                    StandardCharsets.US_ASCII), "rw-------");
            write(dir.resolve("operator-cert.pem"), row.string(1), "rw-r--r--");
            Optional<TlsConfiguration> tls = registry.getDefault();
            if (tls.isPresent() && tls.get().reload()) {
                updated.fire(new CertificateUpdatedEvent(tls.get().getName(), tls.get()));
            }
            installed = id;
            LOG.infof("installed operator certificate %d", id);
        } catch (IOException | RuntimeException e) {
            LOG.errorf("cannot install operator certificate %d: %s", id, e.getMessage());
        }
    }

    private Path dir() {
        return console.dataDir().resolve("tls");
    }

    private static void write(Path file, String content, String perms) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(perms)));
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

}
