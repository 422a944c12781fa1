package io.sensorfleet.console.auth;

import io.sensorfleet.console.platform.Role;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.sensorfleet.console.common.ConsoleConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * Creates the first admin account once, for all instances: with SENSORFLEET_ADMIN_PASSWORD when
 * set, otherwise with a generated password written once to {@code <data-dir>/initial-admin-password}
 * (mode 0600) and announced in the log — never the password itself.
 */
@ApplicationScoped
public class AdminBootstrap {
    private static final Logger LOG = Logger.getLogger(AdminBootstrap.class);

    private final EntityManager em;
    private final Clock clock;
    private final ConsoleConfig console;
    private final AdminBootstrapConfig bootstrap;

    AdminBootstrap(EntityManager em, Clock clock, ConsoleConfig console, AdminBootstrapConfig bootstrap) {
        this.em = em;
        this.clock = clock;
        this.console = console;
        this.bootstrap = bootstrap;
    }

    void onStart(@Observes StartupEvent ev) {
        QuarkusTransaction.requiringNew().run(this::createAdminIfNone);
    }

    void createAdminIfNone() {
        em.createNativeQuery("select pg_advisory_xact_lock(hashtext('bootstrap-admin'))").getSingleResult();
        if (User.count() > 0) {
            return;
        }
        String password = bootstrap.adminPassword().filter(p -> !p.isBlank()).orElseGet(AdminBootstrap::generate);
        User admin = new User();
        admin.id = UUID.randomUUID();
        admin.username = "admin";
        admin.passwordHash = PasswordHasher.hash(password);
        admin.role = Role.ADMIN;
        admin.enabled = true;
        admin.createdAt = clock.instant();
        admin.persist();
        if (bootstrap.adminPassword().filter(p -> !p.isBlank()).isPresent()) {
            LOG.info("Created the admin account 'admin' with the password from SENSORFLEET_ADMIN_PASSWORD");
        } else {
            Path file = writeOnce(password);
            LOG.infof("Created the admin account 'admin'; its generated password is in %s (readable by this user only)",
                    file.toAbsolutePath());
        }
    }

    private Path writeOnce(String password) {
        Path file = console.dataDir().resolve("initial-admin-password");
        try {
            Files.createDirectories(console.dataDir());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, password + "\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the initial admin password to " + file, e);
        }
    }

    private static String generate() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
