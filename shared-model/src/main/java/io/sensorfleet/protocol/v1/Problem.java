package io.sensorfleet.protocol.v1;

/**
 * RFC 9457 problem details, the body of every error on both planes ({@code application/problem+json}).
 *
 * @param type     URI naming the kind of problem, e.g. {@code urn:sensorfleet:problem:token-expired}
 * @param title    short summary of the kind
 * @param status   HTTP status
 * @param detail   what went wrong in this case, for a person to read
 * @param instance the request path
 */
public record Problem(String type, String title, int status, String detail, String instance) {
    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_PREFIX = "urn:sensorfleet:problem:";
}
