package org.imgfn.openfaas;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.imgfn.core.api.Json;

/** HTTP/1.1 by hand over a socket, for what a well-behaved client never sends. */
final class RawHttp implements AutoCloseable {
    /** One response: its status, headers by lower-case name, and body. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        JsonNode json() {
            return Json.read(body);
        }

        String errorCode() {
            return json().path("error").path("code").asText();
        }
    }

    private final Socket socket;
    private final InputStream in;
    private int pushedBack = -1;

    RawHttp(int port) {
        try {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(20_000);
            in = socket.getInputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A GET of {@code path} with {@code count} small headers besides Host. */
    static String getWithHeaders(String path, int count) {
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < count; i++) {
            request.append("X-H").append(i).append(": v\r\n");
        }
        return request.append("\r\n").toString();
    }

    RawHttp send(String text) {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawHttp send(byte[] bytes) {
        try {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /**
     * Sends {@code request} from another thread while this one reads the answer: for requests the server
     * answers before it has read them whole. Returns once both are done.
     */
    Response sendWhileReading(String request) {
        CompletableFuture<RawHttp> sending = CompletableFuture.supplyAsync(() -> send(request));
        Response answer = read();
        sending.join();
        return answer;
    }

    /**
     * Sends {@code text} one character every {@code pause}, from another thread, until it is all sent or
     * the server has closed the connection.
     */
    CompletableFuture<Void> trickle(String text, Duration pause) {
        return CompletableFuture.runAsync(() -> {
            for (char c : text.toCharArray()) {
                send(String.valueOf(c));
                FunctionProcess.sleep(pause.toMillis());
            }
        }).exceptionally(closed -> null);
    }

    /** Reads the next response, or fails if the connection ends first. */
    Response read() {
        try {
            String statusLine = line();
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            Map<String, String> headers = new HashMap<>();
            for (String header; !(header = line()).isEmpty(); ) {
                int colon = header.indexOf(':');
                headers.put(header.substring(0, colon).toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
            }
            String length = headers.get("content-length");
            byte[] body = status < 200 || length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length));
            return new Response(status, headers, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the server sent to a request: every answer, interim ones included, and whether it then closed. */
    record Conversation(List<Response> answers, boolean closed) {
        List<Integer> statuses() {
            return answers.stream().map(Response::status).toList();
        }
    }

    /**
     * Reads answers until the server closes the connection or sends nothing for {@code quiet}; an answer
     * cut short fails.
     */
    Conversation readAll(Duration quiet) {
        List<Response> answers = new ArrayList<>();
        try {
            socket.setSoTimeout((int) quiet.toMillis());
            while (true) {
                int first;
                try {
                    first = in.read();
                } catch (SocketTimeoutException silent) {
                    return new Conversation(answers, false);
                } catch (SocketException reset) {
                    return new Conversation(answers, true);
                }
                if (first < 0) {
                    return new Conversation(answers, true);
                }
                pushedBack = first;
                answers.add(read());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Shuts down the sending side only, as a client that has said all it will say and waits for the answer. */
    RawHttp halfClose() {
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Whether the server closed the connection: the next read ends the stream. */
    boolean closedByServer() {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = nextByte()) != '\n'; ) {
            if (b < 0) {
                throw new IOException("the connection ended; read so far: " + line);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private int nextByte() throws IOException {
        int b = pushedBack >= 0 ? pushedBack : in.read();
        pushedBack = -1;
        return b;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
