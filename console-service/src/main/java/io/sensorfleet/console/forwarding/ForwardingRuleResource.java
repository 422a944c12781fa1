package io.sensorfleet.console.forwarding;

import io.sensorfleet.console.platform.Role;
import io.sensorfleet.console.common.Page;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Map;
import java.util.UUID;

/** Forwarding rules to SIEMs (Admin only: actions may carry credentials in webhook headers). */
@Path("/api/v1/forwarding-rules")
@Tag(name = "Forwarding")
@RolesAllowed(Role.ADMIN_NAME)
public class ForwardingRuleResource {
    @Inject
    ForwardingRuleService rules;
    @Inject
    DeliveryLog log;

    @POST
    @Operation(summary = "Create a forwarding rule", description = "A rule selects notifications (minimal severity, "
            + "system notifications and/or alerts, filters on protocols, engines, zones and sensors) and sends each "
            + "to its actions: syslog (CEF, LEEF, RFC 5424 or JSON over UDP, TCP or TLS) or webhook (JSON POST). "
            + "A wrong field gives 400 naming it; nothing is saved then.")
    public Response create(RuleRequest request) {
        return Response.status(201).entity(rules.create(request)).build();
    }

    @GET
    @Operation(summary = "List forwarding rules", description = "Every rule by name, each action with its delivery "
            + "state: messages pending and parked, delivered and failed totals, last delivery and last error.")
    public Page<RuleView> list(@QueryParam("page") @DefaultValue("0") @Min(0) int page,
                               @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
        return rules.list(page, size);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a forwarding rule", description = "One rule with its actions and their delivery state.")
    public RuleView get(@PathParam("id") UUID id) {
        return rules.get(id);
    }

    @PUT
    @Path("/{id}")
    @Operation(summary = "Replace a forwarding rule", description = "Replaces the rule. Send existing actions with "
            + "their id to change them in place (their queued messages are then delivered with the new settings); "
            + "actions left out are removed with the messages still queued for them.")
    public RuleView update(@PathParam("id") UUID id, RuleRequest request) {
        return rules.update(id, request);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a forwarding rule", description = "Removes the rule, its actions and the messages "
            + "still queued for them. Recorded notifications stay.")
    public Response delete(@PathParam("id") UUID id) {
        rules.delete(id);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/actions/{actionId}/test")
    @Operation(summary = "Send a test message", description = "Sends a test notification (type TEST_MESSAGE, a new "
            + "event id) through one saved action now, outside the outbox, and returns what the receiver answered: "
            + "the HTTP status and body start of a webhook, or the outcome of the syslog write.")
    public TestResult test(@PathParam("id") UUID id, @PathParam("actionId") UUID actionId) {
        return rules.test(id, actionId);
    }

    @POST
    @Path("/test-action")
    @Operation(summary = "Send a test message through an unsaved action", description = "Checks the action like "
            + "a rule's action (400 naming the field in error), then sends a test notification through it and "
            + "returns what the receiver answered. Nothing is saved.")
    public TestResult testUnsaved(RuleRequest.Action action) {
        return rules.test(action);
    }

    @GET
    @Path("/{id}/deliveries")
    @Operation(summary = "List a rule's messages", description = "The rule's outbox, newest first: one message per "
            + "notification and action, with its state (PENDING, DELIVERED, PARKED), attempts, next attempt and last "
            + "error. Filters: state, action, notification. Delivered messages are kept for the retention time.")
    public Page<DeliveryView> deliveries(@PathParam("id") UUID id, @QueryParam("state") String state,
                                         @QueryParam("actionId") UUID actionId,
                                         @QueryParam("notificationId") UUID notificationId,
                                         @QueryParam("page") @DefaultValue("0") @Min(0) int page,
                                         @QueryParam("size") @DefaultValue("50") @Min(1) @Max(1000) int size) {
        return log.deliveries(id, state, actionId, notificationId, page, size);
    }

    @GET
    @Path("/{id}/deliveries/{deliveryId}")
    @Operation(summary = "Get one message with its attempts", description = "One outbox message and every attempt "
            + "to deliver it: when, by which console instance, how long, and what the receiver answered.")
    public DeliveryView delivery(@PathParam("id") UUID id, @PathParam("deliveryId") long deliveryId) {
        return log.delivery(id, deliveryId);
    }

    @POST
    @Path("/{id}/deliveries/replay")
    @Operation(summary = "Replay parked messages", description = "Queues every parked (dead-letter) message of the "
            + "rule, or of one action with actionId, again with a fresh set of attempts. Returns how many.")
    public Map<String, Integer> replayParked(@PathParam("id") UUID id, @QueryParam("actionId") UUID actionId) {
        return Map.of("replayed", log.replayParked(id, actionId));
    }

    @POST
    @Path("/{id}/deliveries/{deliveryId}/replay")
    @Operation(summary = "Replay one message", description = "Queues one parked message again, or a delivered one "
            + "to send it once more (receivers drop duplicates by event id). 409 when it is still pending.")
    public DeliveryView replay(@PathParam("id") UUID id, @PathParam("deliveryId") long deliveryId) {
        return log.replay(id, deliveryId);
    }
}
