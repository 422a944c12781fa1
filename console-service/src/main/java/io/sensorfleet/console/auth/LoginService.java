package io.sensorfleet.console.auth;

import io.sensorfleet.console.platform.AuditContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Checks passwords under the {@link LoginThrottle}: too many failures from a source address, or for
 * one name from that address, get 429 with Retry-After without the password even being hashed.
 * No account is ever locked for everyone, and known and unknown names are treated alike.
 */
@ApplicationScoped
public class LoginService {
    /** A successful login. */
    public record Session(String token, Instant expiresAt) {
    }

    private static final String UNKNOWN_USER_HASH = PasswordHasher.hash("no such user");

    private final AuthConfig config;
    private final TokenIssuer issuer;
    private final AuditContext audit;
    private final LoginThrottle throttle;
    private final Clock clock;

    LoginService(AuthConfig config, TokenIssuer issuer, AuditContext audit, LoginThrottle throttle, Clock clock) {
        this.config = config;
        this.issuer = issuer;
        this.audit = audit;
        this.throttle = throttle;
        this.clock = clock;
    }

    @Transactional
    public Session login(String username, String password, String address) {
        User user = authenticate(username, password, address);
        Instant now = clock.instant();
        Instant expires = now.plus(config.tokenLifetime());
        return new Session(issuer.loginToken(user, now, expires), expires);
    }

    /**
     * The password check with its throttle, for every way in (API token, web console session):
     * answers the user, or throws 401, or 429 while this address is throttled.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public User authenticate(String username, String password, String address) {
        audit.actor(username);
        Duration wait = throttle.refusal(address, username);
        if (wait != null) {
            audit.detail("refused: too many failed logins from " + address + "; throttled for " + wait.toSeconds() + " s");
            throw AuthProblem.throttled(wait);
        }
        User user = User.<User>find("username", username).firstResult();
        // Hash even for unknown users so the response time does not tell which names exist.
        boolean matches = PasswordHasher.matches(password, user != null ? user.passwordHash : UNKNOWN_USER_HASH);
        if (user == null || !matches || !user.enabled) {
            int failures = throttle.failed(address, username);
            if (user != null) {
                audit.target("user:" + user.username);
            }
            audit.detail(failures >= throttle.limits().perNameAndAddress()
                    ? "failed login " + failures + "; further logins for this name from " + address + " refused for "
                    + throttle.limits().window().toMinutes() + " min"
                    : "failed login " + failures + " of " + throttle.limits().perNameAndAddress() + " from " + address);
            throw AuthProblem.invalidCredentials();
        }
        throttle.succeeded(address, username);
        audit.target("user:" + user.username);
        return user;
    }
}
