package io.sensorfleet.console.forwarding;

import io.sensorfleet.console.common.ProductVersion;
import io.sensorfleet.console.notifications.NotificationView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.ZoneOffset;
import java.util.List;
import java.util.StringJoiner;
import java.util.UUID;

/** Formats a notification for an action and hands it to the syslog or webhook sender. */
@ApplicationScoped
class Senders {
    private static final Logger LOG = Logger.getLogger(Senders.class);

    private final String hostname = localHostName();

    @Inject
    SyslogSender syslog;
    @Inject
    WebhookSender webhooks;
    private final String version = ProductVersion.current();

    DeliveryResult send(ActionKind kind, UUID actionId, ActionSettings s, NotificationView n, SiteRef site) {
        return send(kind, actionId, s, n, site, true);
    }

    /** Messages of one webhook action that batches, in one request: a JSON array of their objects. */
    DeliveryResult sendBatch(UUID actionId, ActionSettings s, List<Outbox.Claimed> messages) {
        try {
            StringJoiner body = new StringJoiner(",", "[", "]");
            for (Outbox.Claimed c : messages) {
                body.add(JsonFormat.format(c.notification(), c.site(), ZoneOffset.UTC, true));
            }
            return webhooks.sendBatch(s, messages.size(), body.toString());
        } catch (RuntimeException e) {
            LOG.warnf(e, "delivery of %d messages to action %s failed unexpectedly", messages.size(), actionId);
            return DeliveryResult.failed("cannot deliver: " + e);
        }
    }

    /** A test message: syslog over a connection of its own, not the action's kept one. */
    DeliveryResult sendTest(ActionKind kind, ActionSettings s, NotificationView n) {
        return send(kind, null, s, n, SiteRef.NONE, false);
    }

    private DeliveryResult send(ActionKind kind, UUID actionId, ActionSettings s, NotificationView n, SiteRef site, boolean keep) {
        try {
            return switch (kind) {
                case SYSLOG -> {
                    String message = SyslogMessage.format(n, new MessageContext(s.zone(), hostname, version, site), s.format());
                    yield keep ? syslog.send(actionId, s, message) : syslog.sendOnce(s, message);
                }
                case WEBHOOK -> webhooks.send(s, n.id(), JsonFormat.format(n, site, ZoneOffset.UTC, true));
            };
        } catch (RuntimeException e) {
            LOG.warnf(e, "delivery of %s to action %s failed unexpectedly", n.id(), actionId);
            return DeliveryResult.failed("cannot deliver: " + e);
        }
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "sensorfleet-console";
        }
    }
}
