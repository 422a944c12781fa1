package io.sensorfleet.console.sensors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.sensorfleet.protocol.v1.heartbeat.HeartbeatResponse;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HeartbeatAnswerTest {
    private static final ObjectMapper JACKSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Test
    void theHandWrittenAnswerIsWhatJacksonWritesAndReadsBack() throws Exception {
        for (Instant now : List.of(Instant.parse("2026-12-05T03:07:55Z"), Instant.parse("2026-12-05T03:07:55.120Z"),
                Instant.parse("2026-12-05T03:07:55.123456Z"), Instant.parse("2026-12-05T03:07:55.123456789Z"))) {
            for (int interval : new int[] {1, 30, 86_400}) {
                byte[] answer = HeartbeatAgentRoutes.answer(now, interval);
                assertEquals(JACKSON.writeValueAsString(new HeartbeatResponse(now, interval)),
                        new String(answer, StandardCharsets.UTF_8));
                assertEquals(new HeartbeatResponse(now, interval), JACKSON.readValue(answer, HeartbeatResponse.class));
            }
        }
    }
}
