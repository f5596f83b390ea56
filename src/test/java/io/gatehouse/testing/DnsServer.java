package io.gatehouse.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real DNS server on loopback for the tests: Debian's dnsmasq, answering only the TXT and address
 * records the tests publish (nothing is forwarded anywhere). One port per JVM, known before Gatehouse starts
 * ({@link #address()}); dnsmasq is (re)started with the records whenever a test publishes one.
 */
public final class DnsServer {

    private static final int PORT = Ports.free();
    private static final Map<String, List<String>> RECORDS = new LinkedHashMap<>();
    private static final Map<String, String> HOSTS = new LinkedHashMap<>();
    private static Process process;

    private DnsServer() {
    }

    /** {@code 127.0.0.1:<port>}: what {@code gatehouse.dns.resolver} is set to in the tests. */
    public static String address() {
        return "127.0.0.1:" + PORT;
    }

    /** Starts the server (with the records published so far) unless it runs already. */
    public static synchronized void start() {
        if (process == null || !process.isAlive()) {
            restart();
        }
    }

    /** Publishes a TXT record (beside any already at that name). */
    public static synchronized void txt(String name, String value) {
        RECORDS.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        restart();
    }

    /** Publishes (or replaces) the address of a name: an A or AAAA record. */
    public static synchronized void address(String name, String address) {
        HOSTS.put(name, address);
        restart();
    }

    /** Removes every TXT record at the name. */
    public static synchronized void remove(String name) {
        RECORDS.remove(name);
        restart();
    }

    private static void restart() {
        Path dnsmasq = Path.of("/usr/sbin/dnsmasq");
        if (!Files.isExecutable(dnsmasq)) {
            throw new AssertionError("dnsmasq is not installed: apt-get install -y dnsmasq-base (see README)");
        }
        stop();
        List<String> command = new ArrayList<>(List.of(dnsmasq.toString(), "--keep-in-foreground", "--port=" + PORT,
                "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts", "--conf-file=/dev/null",
                "--pid-file=", "--cache-size=0", "--user=" + System.getProperty("user.name")));
        RECORDS.forEach((name, values) -> values.forEach(value -> command.add("--txt-record=" + name + "," + value)));
        HOSTS.forEach((name, address) -> command.add("--host-record=" + name + "," + address));
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            awaitAnswering();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start dnsmasq", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(DnsServer::stop));
    }

    private static synchronized void stop() {
        // Read once: a second hook (another class loader's copy) may have stopped it already.
        Process running = process;
        process = null;
        if (running != null) {
            running.destroy();
            try {
                running.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits until dnsmasq answers a query (any answer) on its port. */
    private static void awaitAnswering() throws IOException {
        // A minimal DNS query for "ready.test." TXT.
        byte[] query = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                5, 'r', 'e', 'a', 'd', 'y', 4, 't', 'e', 's', 't', 0, 0x00, 0x10, 0x00, 0x01};
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(100);
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new AssertionError("dnsmasq exited with " + process.exitValue());
                }
                socket.send(new DatagramPacket(query, query.length, InetAddress.getLoopbackAddress(), PORT));
                try {
                    socket.receive(new DatagramPacket(new byte[512], 512));
                    return;
                } catch (SocketTimeoutException notYet) {
                    // Still starting.
                }
            }
        }
        throw new AssertionError("dnsmasq does not answer on port " + PORT);
    }
}
