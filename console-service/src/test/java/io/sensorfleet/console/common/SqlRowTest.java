package io.sensorfleet.console.common;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class SqlRowTest {
    private static final Instant AT = Instant.parse("2026-12-04T19:00:00Z");

    @Test
    void readsTimestampsHoweverTheDriverReturnsThem() {
        Sql.Row r = Sql.Row.of(new Object[]{AT, Timestamp.from(AT), OffsetDateTime.ofInstant(AT, ZoneOffset.ofHours(2)), null});
        assertEquals(AT, r.instant(0));
        assertEquals(AT, r.instant(1));
        assertEquals(AT, r.instant(2));
        assertNull(r.instant(3));
    }

    @Test
    void readsNumbersOfAnyWidthAndCountsNullAsZero() {
        Sql.Row r = Sql.Row.of(new Object[]{BigInteger.TEN, 7, null});
        assertEquals(10L, r.longValue(0));
        assertEquals(7, r.intValue(1));
        assertEquals(0L, r.longValue(2));
        assertNull(r.nullableLong(2));
        assertNull(r.nullableInt(2));
    }

    @Test
    void aOneColumnResultIsARowOfOneCell() {
        UUID id = UUID.randomUUID();
        assertEquals(id, Sql.Row.of(id).uuid(0));
        assertEquals(id, Sql.Row.of(id.toString()).uuid(0));
    }

    @Test
    void skipGivesTheRestOfTheRow() {
        Sql.Row r = Sql.Row.of(new Object[]{"a", "b", "c"}).skip(1);
        assertEquals("b", r.string(0));
        assertEquals("c", r.string(1));
    }
}
