package io.gatehouse.platform;

import io.gatehouse.testing.Api;
import io.gatehouse.testing.Db;
import io.gatehouse.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests over the HTTP limits, spoken on a raw socket (as a client that does not play by the rules
 * would): each gets a status that says which limit, and changes nothing.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class HttpLimitsTest {

    /** Sends raw bytes; returns the whole answer (the server closes the connection or ends the response). */
    private static String exchange(byte[]... parts) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            try {
                for (byte[] part : parts) {
                    out.write(part);
                }
                out.flush();
            } catch (java.io.IOException closedEarly) {
                // The server may answer and close before all of it is sent: its answer is still there to read.
            }
            InputStream in = socket.getInputStream();
            StringBuilder answer = new StringBuilder();
            byte[] buffer = new byte[8192];
            int n;
            try {
                while ((n = in.read(buffer)) > 0) {
                    answer.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                    if (answer.indexOf("\r\n\r\n") > 0 && complete(answer.toString())) {
                        break;
                    }
                }
            } catch (java.net.SocketException reset) {
                // After its answer the server may reset a connection it stopped reading.
            }
            return answer.toString();
        }
    }

    private static boolean complete(String answer) {
        int headEnd = answer.indexOf("\r\n\r\n");
        String head = answer.substring(0, headEnd).toLowerCase();
        int at = head.indexOf("content-length:");
        if (at < 0) {
            return false;
        }
        int length = Integer.parseInt(head.substring(at + 15, head.indexOf('\r', at) < 0 ? head.length() : head.indexOf('\r', at)).strip());
        return answer.length() - headEnd - 4 >= length;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aChunkedBodyOverTheLimitIsAProblem413() throws Exception {
        String before = Db.snapshot();
        StringBuilder chunks = new StringBuilder();
        String chunk = "x".repeat(64 * 1024);
        String json = "{\"code\":\"" + Api.newCode("chunked") + "\",\"name\":\"";
        chunks.append(Integer.toHexString(json.length())).append("\r\n").append(json).append("\r\n");
        for (int i = 0; i < 20; i++) {
            chunks.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        }
        chunks.append("2\r\n\"}\r\n0\r\n\r\n");
        String answer = exchange(ascii("POST /v1/orgs HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + Api.ADMIN_TOKEN
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"), ascii(chunks.toString()));
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        assertTrue(answer.toLowerCase().contains("content-type: application/problem+json"), answer);
        assertTrue(answer.contains("urn:gatehouse:problem:body-too-large"), answer);
        assertEquals(before, Db.snapshot());
    }

    @Test
    void aChunkedFormOverTheLimitIsAProblem413Too() throws Exception {
        StringBuilder chunks = new StringBuilder();
        String part = "--b\r\nContent-Disposition: form-data; name=\"metadata_file\"; filename=\"idp.xml\"\r\n"
                + "Content-Type: application/xml\r\n\r\n";
        chunks.append(Integer.toHexString(part.length())).append("\r\n").append(part).append("\r\n");
        String chunk = "x".repeat(64 * 1024);
        for (int i = 0; i < 20; i++) {
            chunks.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        }
        chunks.append("0\r\n\r\n");
        String answer = exchange(ascii("POST /admin/sso/connections HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: multipart/form-data; boundary=b\r\nTransfer-Encoding: chunked\r\n\r\n"), ascii(chunks.toString()));
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        assertTrue(answer.contains("urn:gatehouse:problem:body-too-large"), answer);
    }

    // Over-long heads are refused by the HTTP decoder before any route runs: the status is the answer (no
    // body), and the connection is closed. Each is sent without its end, so nothing unread is left behind
    // (unread bytes would make the kernel reset the connection and drop the answer before it is read).

    @Test
    void headersOverTheLimitAre431() throws Exception {
        String answer = exchange(ascii("GET /v1/me HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "y".repeat(40 * 1024)));
        assertTrue(answer.startsWith("HTTP/1.1 431 Request Header Fields Too Large"), answer);
    }

    @Test
    void aUrlOverTheLimitIs414() throws Exception {
        String answer = exchange(ascii("GET /v1/sso/start?login=" + "z".repeat(4200) + " HTTP/1.1\r\n"));
        // The decoder could not read the request's version, so Vert.x answers as HTTP/1.0.
        assertTrue(answer.matches("(?s)HTTP/1\\.[01] 414 Request-URI Too Long\r\n.*"), answer);
    }

    @Test
    void aChunkedBodyWithinTheLimitStillWorks() {
        String code = Api.newCode("chunked-ok");
        io.restassured.RestAssured.given().header("Authorization", "Bearer " + Api.ADMIN_TOKEN).contentType("application/json")
                .body(new java.io.ByteArrayInputStream(("{\"code\":\"" + code + "\",\"name\":\"Chunked\"}").getBytes(StandardCharsets.UTF_8)))
                .post("/v1/orgs").then().statusCode(201);
        assertEquals(1L, Db.count("select count(*) from orgs where code = ?", code));
    }
}
