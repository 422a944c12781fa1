package io.sensorfleet.lib.settings;

/** The kinds of value a setting holds; each knows the JSON shape it accepts. */
public enum SettingType {
    /** true / false. */
    BOOLEAN,
    /** A whole number within the definition's range. */
    INTEGER,
    /** Free text within the definition's length and pattern. */
    TEXT,
    /** One IPv4 or IPv6 address. */
    IP_ADDRESS,
    /** A contiguous IPv4 mask (255.255.255.0) or a prefix length (24, /24). */
    SUBNET_MASK,
    /** One to three IP addresses. */
    IP_ADDRESS_LIST,
    /** An RFC 1123 host name. */
    HOSTNAME,
    /** host:port. */
    HOST_PORT,
    /** An IANA time zone id such as Europe/Berlin. */
    TIME_ZONE,
    /** One of a fixed list of texts. */
    CHOICE,
    /** A time of day HH:mm. */
    TIME_OF_DAY
}
