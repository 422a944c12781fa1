package io.sensorfleet.console.sensors;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which kinds of match a search text asks for (the hits themselves: InventoryAtScaleTest, SensorResourceTest). */
class SensorSearchTest {

    @Test
    void aWholeIdIsLookedUpAsOneAndNothingElse() {
        SensorSearch.Statement s = SensorSearch.statement("0ed1dead-934b-4cf0-9fbc-82344876f1c8", 20);
        assertEquals(List.of("id"), kinds(s));
        assertTrue(s.params().contains("0ed1dead-934b-4cf0-9fbc-82344876f1c8"));
    }

    @Test
    void threeCharactersOrMoreMatchInsideNamesHostnamesAndLabels() {
        SensorSearch.Statement s = SensorSearch.statement("Rack_7%", 20);
        assertEquals(List.of("name", "hostname", "label"), kinds(s));
        assertTrue(s.params().contains("%rack\\_7\\%%"), s.params().toString());
    }

    @Test
    void oneOrTwoCharactersMatchOnlyTheStartOfNamesAndHostnames() {
        SensorSearch.Statement s = SensorSearch.statement("Hu", 100);
        assertEquals(List.of("name", "hostname"), kinds(s));
        assertTrue(s.params().contains("hu%"), s.params().toString());
        assertFalse(s.sql().contains("sensor_labels"));
    }

    @Test
    void keyEqualsValueLooksTheLabelUpExactly() {
        SensorSearch.Statement s = SensorSearch.statement("env=prod", 20);
        assertEquals(List.of("name", "hostname", "label", "label"), kinds(s));
        assertTrue(s.params().containsAll(List.of("env", "prod")), s.params().toString());
    }

    @Test
    void aSerialIsReadAsDecimalAndAsHexWithOrWithoutColons() {
        assertEquals(List.of(new BigDecimal("4660"), new BigDecimal("18016")),
                serials(SensorSearch.statement("4660", 20)));
        assertEquals(List.of(new BigDecimal("4660")), serials(SensorSearch.statement("12:34", 20)));
        assertEquals(List.of(new BigDecimal("703710")), serials(SensorSearch.statement("0ABCDE", 20)));
        assertEquals(List.of(), serials(SensorSearch.statement("12:3", 20)));
    }

    private static List<String> kinds(SensorSearch.Statement s) {
        return java.util.regex.Pattern.compile("as rank, '(\\w+)' as matched").matcher(s.sql()).results()
                .map(m -> m.group(1)).filter(k -> !k.equals("serial")).toList();
    }

    private static List<BigDecimal> serials(SensorSearch.Statement s) {
        return s.params().stream().filter(BigDecimal.class::isInstance).map(BigDecimal.class::cast).toList();
    }
}
