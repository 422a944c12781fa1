package io.sensorfleet.lib.settings;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsValidatorTest {

    @Test
    void goodValuesPass() {
        Map<String, Object> v = new HashMap<>();
        v.put("network.ipAddress", "10.1.2.3");
        v.put("network.subnetMask", "255.255.255.0");
        v.put("network.defaultGateway", "10.1.2.1");
        v.put("network.dnsServers", List.of("10.1.2.53", "fd00::53"));
        v.put("network.hostname", "sensor-7.plant.example");
        v.put("network.proxy", "proxy.example:3128");
        v.put("time.timeZone", "Europe/Berlin");
        v.put("time.dateFormat", "yyyy/MM/dd HH:mm:ss");
        v.put("backup.dailyTime", "23:59");
        v.put("backup.retention", 9);
        v.put("system.processingThreads", 8);
        v.put("certificates.validation", false);
        v.put("time.timeZone", null);
        assertEquals(List.of(), SettingsValidator.validate(v));
        assertEquals(List.of(), SettingsValidator.validateNetwork(v));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
            "network.ipAddress|10.1.2.300|IPv4 or IPv6",
            "network.ipAddress|sensor.example|IPv4 or IPv6",
            "network.ipAddress|fe80::zz|IPv4 or IPv6",
            "network.subnetMask|255.0.255.0|contiguous",
            "network.subnetMask|/129|contiguous",
            "network.hostname|-leading-hyphen|RFC 1123",
            "network.proxy|proxy:99999|host:port",
            "time.timeZone|Mars/Olympus|IANA",
            "time.timeZone|+02:00|IANA",
            "time.dateFormat|dd.MM.yyyy|one of",
            "backup.dailyTime|24:00|HH:mm",
            "nonsense.key|x|unknown setting",
    })
    void badTextValuesAreNamedWithTheirRule(String key, String value, String rule) {
        List<Violation> v = SettingsValidator.validate(Map.of(key, value));
        assertEquals(1, v.size(), v.toString());
        assertEquals(key, v.get(0).key());
        assertTrue(v.get(0).rule().contains(rule), v.get(0).rule());
    }

    @Test
    void headerInjectionInAHostNameIsRefused() {
        List<Violation> v = SettingsValidator.validate(Map.of("network.hostname", "sensor\r\nX-Injected: 1"));
        assertEquals("network.hostname", v.get(0).key());
        assertEquals(1, SettingsValidator.validate(Map.of("network.proxyUser", "bob\nadmin")).size());
    }

    @Test
    void numbersOutOfRangeAndWrongTypesAreRefused() {
        assertTrue(SettingsValidator.validate(Map.of("backup.retention", 10)).get(0).rule().contains("from 1 to 9"));
        assertTrue(SettingsValidator.validate(Map.of("system.processingThreads", 0)).get(0).rule().contains("from 1 to 64"));
        assertEquals(1, SettingsValidator.validate(Map.of("backup.retention", "3")).size());
        assertEquals(1, SettingsValidator.validate(Map.of("backup.enabled", "yes")).size());
        assertEquals(1, SettingsValidator.validate(Map.of("network.dnsServers", List.of("1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4"))).size());
    }

    @Test
    void gatewayMustBeInsideTheSubnetAndOfTheSameFamily() {
        Map<String, Object> v = new HashMap<>(Map.of("network.ipAddress", "10.1.2.3", "network.subnetMask", "24",
                "network.defaultGateway", "10.1.3.1"));
        assertEquals("network.defaultGateway", SettingsValidator.validateNetwork(v).get(0).key());
        v.put("network.subnetMask", "255.255.0.0");
        assertEquals(List.of(), SettingsValidator.validateNetwork(v));
        v.put("network.defaultGateway", "fd00::1");
        assertTrue(SettingsValidator.validateNetwork(v).get(0).rule().contains("same IP family"));
    }

    @Test
    void masksArePrefixesWhenContiguous() {
        assertEquals(23, IpAddresses.prefixOfMask("255.255.254.0"));
        assertEquals(-1, IpAddresses.prefixOfMask("255.255.1.0"));
        assertEquals(0, IpAddresses.prefixOfMask("0.0.0.0"));
    }
}
