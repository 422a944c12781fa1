package io.sensorfleet.simulator;

import io.sensorfleet.agent.client.AgentTls;
import io.sensorfleet.protocol.v1.enrollment.AgentAddress;
import io.sensorfleet.protocol.v1.Problem;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One simulated sensor's connection to the agent plane: a blocking {@link SSLSocket} kept alive
 * between requests, driven by the sensor's virtual thread, and just enough HTTP/1.1 for the agent
 * protocol (POST with a JSON body; a response with Content-Length or chunked body).
 * <p>
 * Why not java.net.http: every HttpClient owns a selector thread, and the agent makes one client
 * per TLS identity, so 50,000 sensors would be 50,000 platform threads. A socket parked by a
 * virtual thread costs a few kilobytes instead. The TLS rules are the agent's: TLS 1.2+ only,
 * host name checked against the console's certificate.
 */
final class AgentConnection implements AutoCloseable {
    private static final String ACCEPT = "application/json, " + Problem.MEDIA_TYPE;
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final int MAX_BODY_BYTES = 1024 * 1024;

    /** An answer: status, the headers the agent acts on, body. */
    record Reply(int status, String retryAfter, boolean close, byte[] body) {
    }

    private final SSLSocket socket;
    private final InputStream in;
    private final OutputStream out;
    private final AgentAddress address;
    private final String hostHeader;
    private long lastUsedNanos;
    private boolean used;

    private AgentConnection(SSLSocket socket, AgentAddress address) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.address = address;
        this.hostHeader = address.toString();
        this.lastUsedNanos = System.nanoTime();
    }

    /**
     * Connects and completes the TLS handshake.
     *
     * @param bind local address to connect from, or null for the system's choice
     * @throws ExchangeException classified by {@link ExchangeException#kind()}
     */
    static AgentConnection open(SSLContext context, AgentAddress address, InetAddress bind, int timeoutMillis)
            throws ExchangeException {
        SSLSocket socket = null;
        String stage = "connect";
        try {
            socket = (SSLSocket) context.getSocketFactory().createSocket();
            if (bind != null) {
                socket.bind(new InetSocketAddress(bind, 0));
            }
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(timeoutMillis);
            SSLParameters parameters = AgentTls.parameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.connect(new InetSocketAddress(address.host(), address.port()), timeoutMillis);
            stage = "handshake";
            socket.startHandshake();
            return new AgentConnection(socket, address);
        } catch (IOException e) {
            closeQuietly(socket);
            throw ExchangeException.of(stage, e, true);
        }
    }

    AgentAddress address() {
        return address;
    }

    /** Nanoseconds since the last request finished (or since the connection was opened). */
    long idleNanos(long now) {
        return now - lastUsedNanos;
    }

    /**
     * Waits on this idle connection, as a long-poll does, for up to {@code waitNanos}.
     *
     * @return true when the console closed it (or it broke, or sent something unasked for: it cannot
     * carry another request), false when the wait passed with the connection still open
     * @throws InterruptedException when the waiting thread was interrupted (the connection is closed then)
     */
    boolean closedByConsoleWithin(long waitNanos) throws InterruptedException {
        int millis = (int) Math.clamp(TimeUnit.NANOSECONDS.toMillis(waitNanos), 1, Integer.MAX_VALUE);
        int usual;
        try {
            usual = socket.getSoTimeout();
            socket.setSoTimeout(millis);
        } catch (IOException e) {
            return true;
        }
        try {
            // An idle HTTP/1.1 connection carries nothing until the next request: whatever a read
            // returns (the end of the stream, a byte) means it is done for. TLS 1.3 session tickets
            // arriving meanwhile are taken in by the TLS layer and do not end the read.
            in.read();
            return true;
        } catch (SocketTimeoutException e) {
            try {
                socket.setSoTimeout(usual);
                return false;
            } catch (IOException broken) {
                return true;
            }
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("interrupted while watching the connection");
            }
            return true;
        }
    }

    /** Whether a request was already sent on this connection. */
    boolean reused() {
        return used;
    }

    /**
     * One request and its answer.
     *
     * @throws ExchangeException with {@link ExchangeException#beforeResponse()} set when not a byte
     *                           of the answer arrived (the request may be repeated on a new connection)
     */
    Reply post(String path, byte[] body) throws ExchangeException {
        return exchange("POST", path, body, 0);
    }

    /**
     * A GET that may be held open by the console (a long-poll): the socket waits up to
     * {@code answerWithin} for the answer instead of the connection's request timeout.
     */
    Reply get(String path, java.time.Duration answerWithin) throws ExchangeException {
        return exchange("GET", path, null, (int) answerWithin.toMillis());
    }

    private Reply exchange(String method, String path, byte[] body, int readTimeoutMillis) throws ExchangeException {
        used = true;
        StringBuilder head = new StringBuilder(160).append(method).append(' ').append(path)
                .append(" HTTP/1.1\r\nHost: ").append(hostHeader).append("\r\nAccept: ").append(ACCEPT).append("\r\n");
        if (body != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        }
        byte[] headBytes = head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
        byte[] request = body == null ? headBytes : Arrays.copyOf(headBytes, headBytes.length + body.length);
        if (body != null) {
            System.arraycopy(body, 0, request, headBytes.length, body.length);
        }
        ResponseReader reader = new ResponseReader(in);
        try {
            int usual = socket.getSoTimeout();
            if (readTimeoutMillis > 0) {
                socket.setSoTimeout(readTimeoutMillis);
            }
            try {
                out.write(request);
                out.flush();
                Reply reply = reader.read();
                lastUsedNanos = System.nanoTime();
                return reply;
            } finally {
                if (readTimeoutMillis > 0 && !socket.isClosed()) {
                    socket.setSoTimeout(usual);
                }
            }
        } catch (IOException e) {
            throw ExchangeException.of("exchange", e, reader.nothingRead());
        }
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static void closeQuietly(SSLSocket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a broken connection: nothing left to do
            }
        }
    }

    /** Reads one HTTP/1.1 response from a stream without buffering past it. */
    static final class ResponseReader {
        private final InputStream in;
        private byte[] buf = new byte[1024];
        private int length;
        private int position;

        ResponseReader(InputStream in) {
            this.in = in;
        }

        boolean nothingRead() {
            return length == 0;
        }

        Reply read() throws IOException {
            int headerEnd;
            while ((headerEnd = indexOf(buf, length, "\r\n\r\n")) < 0) {
                if (length >= MAX_HEADER_BYTES) {
                    throw new IOException("response headers longer than " + MAX_HEADER_BYTES + " bytes");
                }
                fill();
            }
            String[] lines = new String(buf, 0, headerEnd, StandardCharsets.ISO_8859_1).split("\r\n");
            String[] statusLine = lines[0].split(" ", 3);
            if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP/1.x response: " + lines[0]);
            }
            int status = Integer.parseInt(statusLine[1]);
            long contentLength = -1;
            boolean chunked = false;
            boolean close = statusLine[0].equals("HTTP/1.0");
            String retryAfter = null;
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = lines[i].substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> contentLength = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> close = value.equalsIgnoreCase("close");
                    case "retry-after" -> retryAfter = value;
                    default -> {
                    }
                }
            }
            position = headerEnd + 4;
            byte[] body;
            if (status == 204 || status == 304 || status < 200) {
                // No body by definition (RFC 9110), whatever the headers say.
                body = new byte[0];
            } else if (chunked) {
                body = chunkedBody();
            } else if (contentLength >= 0) {
                if (contentLength > MAX_BODY_BYTES) {
                    throw new IOException("response body of " + contentLength + " bytes is too large");
                }
                body = exactly((int) contentLength);
            } else {
                // No length: the body runs to the end of the connection.
                body = untilEof();
                close = true;
            }
            return new Reply(status, retryAfter, close, body);
        }

        private byte[] chunkedBody() throws IOException {
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            while (true) {
                String sizeLine = line();
                int semicolon = sizeLine.indexOf(';');
                int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
                if (size == 0) {
                    while (!line().isEmpty()) {
                        // trailers are of no use to the agent
                    }
                    return body.toByteArray();
                }
                if (body.size() + size > MAX_BODY_BYTES) {
                    throw new IOException("chunked response body is too large");
                }
                body.write(exactly(size));
                line();
            }
        }

        private String line() throws IOException {
            int end;
            while ((end = indexOf(buf, position, length, "\r\n")) < 0) {
                fill();
            }
            String s = new String(buf, position, end - position, StandardCharsets.ISO_8859_1);
            position = end + 2;
            return s;
        }

        private byte[] exactly(int n) throws IOException {
            while (length - position < n) {
                fill();
            }
            byte[] out = Arrays.copyOfRange(buf, position, position + n);
            position += n;
            return out;
        }

        private byte[] untilEof() throws IOException {
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            body.write(buf, position, length - position);
            byte[] chunk = new byte[4096];
            int r;
            while ((r = in.read(chunk)) > 0) {
                if (body.size() + r > MAX_BODY_BYTES) {
                    throw new IOException("response body is too large");
                }
                body.write(chunk, 0, r);
            }
            position = length;
            return body.toByteArray();
        }

        private void fill() throws IOException {
            if (length == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            int r = in.read(buf, length, buf.length - length);
            if (r < 0) {
                throw new java.io.EOFException("the console closed the connection");
            }
            length += r;
        }

        private static int indexOf(byte[] data, int limit, String pattern) {
            return indexOf(data, 0, limit, pattern);
        }

        private static int indexOf(byte[] data, int from, int limit, String pattern) {
            outer:
            for (int i = from; i <= limit - pattern.length(); i++) {
                for (int j = 0; j < pattern.length(); j++) {
                    if (data[i + j] != pattern.charAt(j)) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }
}
