package io.sensorfleet.console.auth;

import io.sensorfleet.console.platform.AuditContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Checks passwords and keeps count of failures: after {@code max-failed-logins} in a row the
 * account is locked for {@code lockout-duration}; attempts meanwhile get 429 with Retry-After
 * without the password even being checked. The count lives in the database, so it holds across
 * instances.
 */
@ApplicationScoped
public class LoginService {
    /** A successful login. */
    public record Session(String token, Instant expiresAt) {
    }

    private static final String UNKNOWN_USER_HASH = PasswordHasher.hash("no such user");

    @Inject
    AuthConfig config;
    @Inject
    TokenIssuer issuer;
    @Inject
    AuditContext audit;
    @Inject
    Clock clock;

    // Not rolled back by the problem it throws: the failure count must stick.
    @Transactional(dontRollbackOn = AuthProblem.class)
    public Session login(String username, String password) {
        User user = authenticate(username, password);
        Instant now = clock.instant();
        Instant expires = now.plus(config.tokenLifetime());
        return new Session(issuer.loginToken(user, now, expires), expires);
    }

    /**
     * The password check with its lockout, for every way in (API token, web console session):
     * answers the user, or throws 401, or 429 while the account is locked.
     */
    @Transactional(dontRollbackOn = AuthProblem.class)
    public User authenticate(String username, String password) {
        audit.actor(username);
        Instant now = clock.instant();
        User user = User.<User>find("username", username).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
        if (user != null && user.lockedUntil != null && user.lockedUntil.isAfter(now)) {
            audit.detail("refused: account locked until " + user.lockedUntil);
            throw AuthProblem.locked(Duration.between(now, user.lockedUntil));
        }
        // Hash even for unknown users so the response time does not tell which names exist.
        boolean matches = PasswordHasher.matches(password, user != null ? user.passwordHash : UNKNOWN_USER_HASH);
        if (user == null || !matches || !user.enabled) {
            if (user != null) {
                failed(user, now);
            }
            throw AuthProblem.invalidCredentials();
        }
        user.failedLogins = 0;
        user.lockedUntil = null;
        audit.target("user:" + user.username);
        return user;
    }

    private void failed(User user, Instant now) {
        user.failedLogins++;
        audit.target("user:" + user.username);
        if (user.failedLogins >= config.maxFailedLogins()) {
            user.lockedUntil = now.plus(config.lockoutDuration());
            user.failedLogins = 0;
            audit.detail("account locked until " + user.lockedUntil + " after " + config.maxFailedLogins()
                    + " failed logins");
        } else {
            audit.detail("failed login " + user.failedLogins + " of " + config.maxFailedLogins());
        }
    }
}
