package io.sensorfleet.console.auth;

import io.sensorfleet.console.platform.ProblemType;
import io.sensorfleet.console.platform.Role;
import io.sensorfleet.console.platform.AuditContext;
import io.sensorfleet.console.common.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Local users: Admin manages them; everyone changes their own password. */
@ApplicationScoped
@Transactional
public class UserService {
    /** A user as the API shows it: never the hash. */
    public record View(UUID id, String username, Role role, boolean enabled, Instant createdAt, Instant lockedUntil) {
        static View of(User u) {
            return new View(u.id, u.username, u.role, u.enabled, u.createdAt, u.lockedUntil);
        }
    }

    private final AuthConfig config;
    private final AuditContext audit;
    private final LoginThrottle throttle;
    private final Clock clock;

    UserService(AuthConfig config, AuditContext audit, LoginThrottle throttle, Clock clock) {
        this.config = config;
        this.audit = audit;
        this.throttle = throttle;
        this.clock = clock;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<View> list() {
        return User.<User>list("order by username").stream().map(View::of).toList();
    }

    public View create(String username, String password, Role role) {
        String name = username.strip();
        if (User.count("lower(username) = lower(?1)", name) > 0) {
            throw new ProblemException(ProblemType.USER_EXISTS, "a user named '" + name + "' already exists");
        }
        checkStrength(name, password);
        User u = new User();
        u.id = UUID.randomUUID();
        u.username = name;
        u.passwordHash = PasswordHasher.hash(password);
        u.role = role;
        u.enabled = true;
        u.createdAt = clock.instant();
        u.persist();
        audit.target("user:" + name);
        return View.of(u);
    }

    /** Changes role and/or enabled state; disabling withdraws the user's tokens at once. */
    public View update(UUID id, Role role, Boolean enabled, String caller) {
        User u = find(id);
        if (u.username.equals(caller) && (Boolean.FALSE.equals(enabled) || (role != null && role != Role.ADMIN))) {
            throw new ProblemException(ProblemType.SELF_LOCKOUT, "you cannot disable yourself or drop your own Admin role");
        }
        if (role != null) {
            u.role = role;
        }
        if (enabled != null) {
            u.enabled = enabled;
            if (!enabled) {
                u.tokensValidAfter = now();
            } else {
                u.lockedUntil = null;
                u.failedLogins = 0;
                throttle.forgive(u.username);
            }
        }
        return View.of(u);
    }

    /** Sets a new password chosen by an Admin; the user's existing tokens stop working. */
    public void resetPassword(UUID id, String password) {
        User u = find(id);
        checkStrength(u.username, password);
        u.passwordHash = PasswordHasher.hash(password);
        u.tokensValidAfter = now();
        u.lockedUntil = null;
        u.failedLogins = 0;
    }

    public void changeOwnPassword(String username, String current, String password) {
        User u = User.byUsername(username).orElseThrow(() -> ProblemException.notFound("user", username));
        audit.target("user:" + username);
        if (!PasswordHasher.matches(current, u.passwordHash)) {
            throw AuthProblem.wrongCurrentPassword();
        }
        checkStrength(u.username, password);
        u.passwordHash = PasswordHasher.hash(password);
        u.tokensValidAfter = now();
    }

    private Instant now() {
        return clock.instant();
    }

    private void checkStrength(String username, String password) {
        if (password == null || password.length() < config.minPasswordLength()
                || password.equalsIgnoreCase(username)) {
            throw AuthProblem.weakPassword(config.minPasswordLength());
        }
    }

    private User find(UUID id) {
        User u = User.findById(id);
        if (u == null) {
            throw ProblemException.notFound("user", id);
        }
        audit.target("user:" + u.username);
        return u;
    }
}
