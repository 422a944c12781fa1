package io.sensorfleet.simulator;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResponseReaderTest {

    private static AgentConnection.ResponseReader reader(String response) {
        return new AgentConnection.ResponseReader(new ByteArrayInputStream(response.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void readsABodyByContentLengthAndKeepsTheConnection() throws IOException {
        AgentConnection.Reply reply = reader("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\ncontent-length: 7\r\n\r\n"
                + "{\"a\":1}").read();

        assertEquals(200, reply.status());
        assertArrayEquals("{\"a\":1}".getBytes(StandardCharsets.US_ASCII), reply.body());
        assertFalse(reply.close());
        assertNull(reply.retryAfter());
    }

    @Test
    void aNoContentAnswerHasNoBodyAndKeepsTheConnection() throws IOException {
        // What the settings long-poll answers when nothing changed: no Content-Length, and more bytes may follow.
        AgentConnection.Reply reply = reader("HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK").read();

        assertEquals(204, reply.status());
        assertEquals(0, reply.body().length);
        assertFalse(reply.close());
    }

    @Test
    void readsAChunkedBody() throws IOException {
        AgentConnection.Reply reply = reader("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3\r\nabc\r\n4;ext=1\r\ndefg\r\n0\r\n\r\n").read();

        assertEquals("abcdefg", new String(reply.body(), StandardCharsets.US_ASCII));
    }

    @Test
    void reportsRetryAfterAndConnectionClose() throws IOException {
        AgentConnection.Reply reply = reader("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 3\r\nConnection: close\r\n"
                + "Content-Length: 0\r\n\r\n").read();

        assertEquals(429, reply.status());
        assertEquals("3", reply.retryAfter());
        assertTrue(reply.close());
    }

    @Test
    void readsHeadersThatArriveInPieces() throws IOException {
        byte[] whole = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII);
        InputStream trickle = new InputStream() {
            private int next;

            @Override
            public int read() {
                return next < whole.length ? whole[next++] : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (next >= whole.length) {
                    return -1;
                }
                b[off] = whole[next++];
                return 1;
            }
        };

        AgentConnection.Reply reply = new AgentConnection.ResponseReader(trickle).read();

        assertEquals("ok", new String(reply.body(), StandardCharsets.US_ASCII));
    }

    @Test
    void aConnectionClosedBeforeAnyAnswerIsRecognisedAsSuch() {
        AgentConnection.ResponseReader reader = reader("");

        assertThrows(EOFException.class, reader::read);
        assertTrue(reader.nothingRead(), "nothing arrived: the request may be repeated on a new connection");
    }

    @Test
    void aResponseCutInTheBodyIsNotMistakenForAStaleConnection() {
        AgentConnection.ResponseReader reader = reader("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");

        assertThrows(EOFException.class, reader::read);
        assertFalse(reader.nothingRead());
    }
}
