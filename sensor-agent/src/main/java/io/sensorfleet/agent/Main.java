package io.sensorfleet.agent;

public final class Main {
    public static void main(String[] args) {
        System.out.println("sensor-agent");
    }
}
