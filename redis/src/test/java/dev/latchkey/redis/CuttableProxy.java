package dev.latchkey.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP forwarder on 127.0.0.1 in front of Redis, for fault tests: it can drop the connection
 * right after the server answered a command (so the command ran, but the client never learns
 * it), and it can stop (the client's connection breaks and reconnects are refused).
 */
final class CuttableProxy implements AutoCloseable {
    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    /** Set by the test, cleared by the pump that acts on it: getAndSet makes one pump act. */
    private final AtomicBoolean cutOnNextReply = new AtomicBoolean();
    /** Guarded by itself. */
    private final List<Socket> sockets = new ArrayList<>();

    CuttableProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "cuttable-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** The next bytes Redis sends back are discarded and the client's connection is closed. */
    void cutOnNextReply() {
        cutOnNextReply.set(true);
    }

    @Override
    public void close() throws IOException {
        stop();
    }

    /** Closes every connection and refuses new ones. */
    void stop() throws IOException {
        server.close();
        synchronized (sockets) {
            for (Socket s : sockets) {
                quietly(s);
            }
            sockets.clear();
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(targetHost, targetPort);
                synchronized (sockets) {
                    sockets.add(client);
                    sockets.add(upstream);
                }
                pump(client, upstream, false);
                pump(upstream, client, true);
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean replies) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (replies && cutOnNextReply.getAndSet(false)) {
                        quietly(from);
                        quietly(to);
                        return;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException ended) {
                // one side closed: close the other
            } finally {
                quietly(from);
                quietly(to);
            }
        }, "cuttable-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void quietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
