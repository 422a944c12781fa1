package io.sensorfleet.console.forwarding;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sensorfleet.console.notifications.NotificationCategory;
import io.sensorfleet.console.notifications.NotificationType;
import io.sensorfleet.console.notifications.NotificationView;
import io.sensorfleet.console.notifications.Severity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The outbox table as the delivery workers use it. A worker claims due rows with FOR UPDATE SKIP
 * LOCKED and moves their {@code next_attempt_at} past the lease, so no other instance takes them
 * while they are being sent; results are written in batches and only for the claim that sent them.
 */
@ApplicationScoped
class Outbox {
    private static final String CLAIM = "update forwarding_outbox o set next_attempt_at = ?, claim = ? "
            + "from (select id from forwarding_outbox where state = 'PENDING' and next_attempt_at <= ? "
            + "order by next_attempt_at limit ? for update skip locked) due "
            + "join notifications n on true join forwarding_actions a on true "
            + "left join zones z on z.id = n.zone_id left join sites s on s.id = z.site_id "
            + "where o.id = due.id and n.id = o.notification_id and a.id = o.action_id "
            + "returning o.id, o.attempts, o.rule_id, a.id, a.kind, a.settings::text, n.id, n.occurred_at, n.category, "
            + "n.type, n.severity, n.title, n.message, n.sensor_id, n.sensor_name, n.zone_id, n.zone_name, n.alert_id, "
            + "n.engine, n.protocol, n.source, n.destination, n.suppressed_by, s.id, s.name";
    private static final String COMPLETE = "update forwarding_outbox o set attempts = o.attempts + 1, "
            + "last_attempt_at = r.at, claim = null, "
            + "state = case when r.ok then 'DELIVERED' when r.parked then 'PARKED' else 'PENDING' end, "
            + "delivered_at = case when r.ok then r.at else o.delivered_at end, "
            + "last_error = case when r.ok then null else r.outcome end, "
            + "next_attempt_at = coalesce(r.next, o.next_attempt_at) "
            + "from unnest(?::int8[], ?::uuid[], ?::boolean[], ?::boolean[], ?::text[], ?::timestamptz[], ?::timestamptz[]) "
            + "as r(id, claim, ok, parked, outcome, at, next) where o.id = r.id and o.claim = r.claim";
    private static final String ATTEMPTS = "insert into forwarding_attempts (outbox_id, attempted_at, succeeded, "
            + "outcome, duration_ms, instance) select r.id, r.at, r.ok, r.outcome, r.ms, ? "
            + "from unnest(?::int8[], ?::timestamptz[], ?::boolean[], ?::text[], ?::int4[]) as r(id, at, ok, outcome, ms) "
            + "where exists (select 1 from forwarding_outbox o where o.id = r.id)";
    private static final String STATS = "insert into forwarding_action_stats as s (action_id, delivered, "
            + "failed_attempts, last_delivered_at, last_failure_at, last_error) "
            + "select u.* from unnest(?::uuid[], ?::int8[], ?::int8[], ?::timestamptz[], ?::timestamptz[], ?::text[]) "
            + "as u(action_id, delivered, failed, delivered_at, failed_at, error) "
            + "where exists (select 1 from forwarding_actions a where a.id = u.action_id) "
            + "on conflict (action_id) do update set delivered = s.delivered + excluded.delivered, "
            + "failed_attempts = s.failed_attempts + excluded.failed_attempts, "
            + "last_delivered_at = greatest(s.last_delivered_at, excluded.last_delivered_at), "
            + "last_error = case when excluded.last_failure_at >= coalesce(s.last_failure_at, excluded.last_failure_at) "
            + "then excluded.last_error else s.last_error end, "
            + "last_failure_at = greatest(s.last_failure_at, excluded.last_failure_at)";

    /** A message reserved for this instance until the lease ends. */
    record Claimed(long id, UUID claim, int attempts, UUID ruleId, UUID actionId, ActionKind kind,
                   ActionSettings settings, NotificationView notification, SiteRef site) {
    }

    /** What became of a claimed message. {@code next} is null when it is not to be tried again. */
    record Result(long id, UUID claim, UUID ruleId, UUID actionId, ActionKind kind, boolean delivered, boolean parked,
                  String outcome, Instant at, Instant next, int durationMs) {
    }

    @Inject
    AgroalDataSource dataSource;
    @Inject
    WebhookHeaderSecrets headerSecrets;

    List<Claimed> claim(int limit, Instant now, Instant leaseUntil) {
        UUID claim = UUID.randomUUID();
        List<Claimed> claimed = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(CLAIM)) {
            ps.setObject(1, time(leaseUntil));
            ps.setObject(2, claim);
            ps.setObject(3, time(now));
            ps.setInt(4, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    claimed.add(new Claimed(rs.getLong(1), claim, rs.getInt(2), rs.getObject(3, UUID.class),
                            rs.getObject(4, UUID.class), ActionKind.valueOf(rs.getString(5)),
                            headerSecrets.open(ActionSettings.fromJson(rs.getString(6))), notification(rs, 7),
                            new SiteRef(rs.getObject(24, UUID.class), rs.getString(25))));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot claim outbox messages: " + e.getMessage(), e);
        }
        claimed.sort(Comparator.comparingLong(Claimed::id));
        return claimed;
    }

    /** Writes the results of one or more claims, their attempts and the per-action totals, in one transaction. */
    void complete(List<Result> results, String instance) {
        if (results.isEmpty()) {
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection c = dataSource.getConnection()) {
                update(c, results);
                attempts(c, results, instance);
                stats(c, results);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot record delivery results: " + e.getMessage(), e);
            }
        });
    }

    private static void update(Connection c, List<Result> results) throws SQLException {
        int n = results.size();
        Object[] ids = new Object[n], claims = new Object[n], ok = new Object[n], parked = new Object[n],
                outcome = new Object[n], at = new Object[n], next = new Object[n];
        for (int i = 0; i < n; i++) {
            Result r = results.get(i);
            ids[i] = r.id();
            claims[i] = r.claim().toString();
            ok[i] = r.delivered();
            parked[i] = r.parked();
            outcome[i] = r.outcome();
            at[i] = r.at().toString();
            next[i] = r.next() == null ? null : r.next().toString();
        }
        try (PreparedStatement ps = c.prepareStatement(COMPLETE)) {
            ps.setArray(1, c.createArrayOf("int8", ids));
            ps.setArray(2, c.createArrayOf("text", claims));
            ps.setArray(3, c.createArrayOf("bool", ok));
            ps.setArray(4, c.createArrayOf("bool", parked));
            ps.setArray(5, c.createArrayOf("text", outcome));
            ps.setArray(6, c.createArrayOf("text", at));
            ps.setArray(7, c.createArrayOf("text", next));
            ps.executeUpdate();
        }
    }

    private static void attempts(Connection c, List<Result> results, String instance) throws SQLException {
        int n = results.size();
        Object[] ids = new Object[n], at = new Object[n], ok = new Object[n], outcome = new Object[n], ms = new Object[n];
        for (int i = 0; i < n; i++) {
            Result r = results.get(i);
            ids[i] = r.id();
            at[i] = r.at().toString();
            ok[i] = r.delivered();
            outcome[i] = r.outcome();
            ms[i] = r.durationMs();
        }
        try (PreparedStatement ps = c.prepareStatement(ATTEMPTS)) {
            ps.setString(1, instance);
            ps.setArray(2, c.createArrayOf("int8", ids));
            ps.setArray(3, c.createArrayOf("text", at));
            ps.setArray(4, c.createArrayOf("bool", ok));
            ps.setArray(5, c.createArrayOf("text", outcome));
            ps.setArray(6, c.createArrayOf("int4", ms));
            ps.executeUpdate();
        }
    }

    /** Per-action totals; rows are upserted in a fixed order so two instances never deadlock on them. */
    private static void stats(Connection c, List<Result> results) throws SQLException {
        Map<UUID, Object[]> byAction = new TreeMap<>();
        for (Result r : results) {
            Object[] s = byAction.computeIfAbsent(r.actionId(), k -> new Object[]{0L, 0L, null, null, null});
            if (r.delivered()) {
                s[0] = (Long) s[0] + 1;
                s[2] = later((Instant) s[2], r.at());
            } else {
                s[1] = (Long) s[1] + 1;
                if (s[3] == null || !r.at().isBefore((Instant) s[3])) {
                    s[3] = r.at();
                    s[4] = r.outcome();
                }
            }
        }
        int n = byAction.size();
        Object[] ids = new Object[n], delivered = new Object[n], failed = new Object[n], deliveredAt = new Object[n],
                failedAt = new Object[n], error = new Object[n];
        int i = 0;
        for (var e : byAction.entrySet()) {
            Object[] s = e.getValue();
            ids[i] = e.getKey().toString();
            delivered[i] = s[0];
            failed[i] = s[1];
            deliveredAt[i] = s[2] == null ? null : s[2].toString();
            failedAt[i] = s[3] == null ? null : s[3].toString();
            error[i] = s[4];
            i++;
        }
        try (PreparedStatement ps = c.prepareStatement(STATS)) {
            ps.setArray(1, c.createArrayOf("text", ids));
            ps.setArray(2, c.createArrayOf("int8", delivered));
            ps.setArray(3, c.createArrayOf("int8", failed));
            ps.setArray(4, c.createArrayOf("text", deliveredAt));
            ps.setArray(5, c.createArrayOf("text", failedAt));
            ps.setArray(6, c.createArrayOf("text", error));
            ps.executeUpdate();
        }
    }

    /** Throws when the database cannot be reached. */
    void ping() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("select 1")) {
            ps.execute();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the database: " + e.getMessage(), e);
        }
    }

    /** Removes up to {@code limit} messages delivered before {@code before}; returns how many. */
    int purgeDelivered(Instant before, int limit) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "delete from forwarding_outbox where id in (select id from forwarding_outbox "
                        + "where state = 'DELIVERED' and delivered_at < ? limit ?)")) {
            ps.setObject(1, time(before));
            ps.setInt(2, limit);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot purge the outbox: " + e.getMessage(), e);
        }
    }

    /** Waiting and parked messages of every action, zero included, for the metrics. */
    List<ForwardingMetrics.Backlog> backlog() {
        List<ForwardingMetrics.Backlog> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select a.rule_id, a.id, s.state, count(o.id) from forwarding_actions a "
                        + "cross join (values ('PENDING'), ('PARKED')) as s(state) "
                        + "left join forwarding_outbox o on o.action_id = a.id and o.state = s.state "
                        + "group by a.rule_id, a.id, s.state");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new ForwardingMetrics.Backlog(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getString(3), rs.getLong(4)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count the outbox: " + e.getMessage(), e);
        }
        return rows;
    }

    static NotificationView notification(ResultSet rs, int first) throws SQLException {
        int i = first;
        return new NotificationView(rs.getObject(i, UUID.class), rs.getObject(i + 1, OffsetDateTime.class).toInstant(),
                NotificationCategory.valueOf(rs.getString(i + 2)), NotificationType.valueOf(rs.getString(i + 3)),
                Severity.valueOf(rs.getString(i + 4)), rs.getString(i + 5), rs.getString(i + 6),
                rs.getObject(i + 7, UUID.class), rs.getString(i + 8), rs.getObject(i + 9, UUID.class),
                rs.getString(i + 10), rs.getString(i + 11), rs.getString(i + 12), rs.getString(i + 13),
                rs.getString(i + 14), rs.getString(i + 15), rs.getString(i + 16));
    }

    private static OffsetDateTime time(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }

    private static Instant later(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }
}
