package io.sensorfleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputTest {

    @Test
    void tableAlignsColumnsAndShowsEmptyCellsAsDash() {
        StringWriter s = new StringWriter();
        new Table("NAME", "STATE").row("rack-7", "SYNCED").row("a", null).print(new PrintWriter(s));
        assertEquals("NAME    STATE\nrack-7  SYNCED\na       -\n", s.toString().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void tableCellsDoNotPassControlCharactersToTheTerminal() {
        assertEquals("a?[31mred", Table.cell("a\u001b[31mred"));
    }

    @Test
    void fieldsPrintsOneObjectAsAlignedLines() throws Exception {
        StringWriter s = new StringWriter();
        JsonNode n = ConsoleClient.JSON.readTree("{\"id\":\"x\",\"stages\":{\"DONE\":2},\"haltReason\":null}");
        Output.fields(new PrintWriter(s), n);
        assertEquals("id:         x\nstages:     {\"DONE\":2}\nhaltReason: -\n", s.toString().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void problemShowsTitleStatusAndDetail() {
        assertEquals("Conflict (409): sensor rack-7 is taking a backup", ConsoleClient.problem(409,
                "{\"type\":\"urn:sensorfleet:problem:sensor-busy\",\"title\":\"Conflict\",\"status\":409,"
                        + "\"detail\":\"sensor rack-7 is taking a backup\"}"));
        assertEquals("Forbidden (403)", ConsoleClient.problem(403, "{\"title\":\"Forbidden\"}"));
        assertEquals("HTTP 502", ConsoleClient.problem(502, "<html>bad gateway</html>"));
    }

    @Test
    void refusalsMapToExitCodes() {
        assertEquals(1, assertThrows(CliException.class, () -> ConsoleClient.answer(400, "{\"title\":\"Bad Request\"}")).exitCode());
        assertEquals(4, assertThrows(CliException.class, () -> ConsoleClient.answer(401, "")).exitCode());
        assertEquals(1, assertThrows(CliException.class, () -> ConsoleClient.answer(401, "", true)).exitCode(),
                "a 401 answering the login is wrong credentials, not a missing login");
        assertEquals(1, assertThrows(CliException.class, () -> ConsoleClient.answer(503, "")).exitCode());
        assertTrue(ConsoleClient.answer(204, "").isNull());
    }

    @Test
    void queryStringEncodesValuesAndLeavesOutAbsentOnes() {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("name", "rack 7&x");
        q.put("zoneId", null);
        q.put("page", 0);
        assertEquals("?name=rack+7%26x&page=0", ConsoleClient.queryString(q));
        assertEquals("", ConsoleClient.queryString(Map.of()));
    }

    @Test
    void settingValuesReadAsJsonWhenTheyAreJsonElseAsText() {
        Map<String, Object> v = SettingsCommand.values(List.of("system.diskUsageAlarmPercent=85", "system.logLevel=WARN",
                "system.deepPacketInspection=true", "network.dns=null", "a.b=85 percent"));
        assertEquals("85", v.get("system.diskUsageAlarmPercent").toString());
        assertTrue(v.get("system.diskUsageAlarmPercent") instanceof JsonNode n && n.isInt());
        assertEquals("WARN", v.get("system.logLevel"));
        assertTrue(((JsonNode) v.get("system.deepPacketInspection")).isBoolean());
        assertTrue(((JsonNode) v.get("network.dns")).isNull());
        assertEquals("85 percent", v.get("a.b"));
        assertEquals(2, assertThrows(CliException.class, () -> SettingsCommand.values(List.of("a=1", "a=2"))).exitCode());
    }

    @Test
    void consoleUrlMustBeHttpsWithAHostAndIsReducedToItsOrigin() {
        assertEquals("https://console.example:8443/", ApiOptions.consoleUri("https://console.example:8443/api").toString());
        assertEquals(2, assertThrows(CliException.class, () -> ApiOptions.consoleUri("http://console.example")).exitCode());
        assertEquals(2, assertThrows(CliException.class, () -> ApiOptions.consoleUri("https://u:p@console.example")).exitCode());
        assertEquals(2, assertThrows(CliException.class, () -> ApiOptions.consoleUri("console.example")).exitCode());
    }
}
