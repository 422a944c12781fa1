package io.sensorfleet.agent;

/** Input the operator gave is refused (exit code 2): a bad file or flag, never a failure of the sensor. */
public class InvalidInputException extends AgentException {
    public InvalidInputException(String message) {
        super(message);
    }
}
