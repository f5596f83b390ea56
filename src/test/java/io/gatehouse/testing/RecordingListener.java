package io.gatehouse.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP listener on loopback that records every connection made to it (and closes it at once): what an
 * internal service would have been. Egress tests point refused URLs here and assert that nothing came.
 */
public final class RecordingListener implements AutoCloseable {

    private final ServerSocket socket;
    private final List<String> connections = new CopyOnWriteArrayList<>();

    public RecordingListener() {
        try {
            socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread accepting = new Thread(() -> {
            while (!socket.isClosed()) {
                try (Socket connection = socket.accept()) {
                    connections.add(connection.getRemoteSocketAddress().toString());
                } catch (IOException closed) {
                    return;
                }
            }
        }, "recording-listener");
        accepting.setDaemon(true);
        accepting.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** The connections made so far (each one's remote address). */
    public List<String> connections() {
        return List.copyOf(connections);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
