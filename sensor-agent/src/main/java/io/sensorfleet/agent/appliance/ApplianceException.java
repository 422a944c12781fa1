package io.sensorfleet.agent.appliance;

/** A setting the operating system did not take, with the key and the system's reason. */
public final class ApplianceException extends Exception {
    private final String key;

    public ApplianceException(String key, String reason) {
        super(key + ": " + reason);
        this.key = key;
    }

    public ApplianceException(String key, String reason, Throwable cause) {
        super(key + ": " + reason, cause);
        this.key = key;
    }

    /** The catalogue key that failed. */
    public String key() {
        return key;
    }
}
