package dev.latchkey.jdbc.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A loopback TCP proxy between a JDBC driver and a database server that cuts a connection at a
 * chosen moment of its {@code COMMIT}: it watches the bytes the driver sends for the text
 * {@code COMMIT} (pgjdbc sends it in a Parse or Query message, MariaDB Connector/J in a
 * {@code COM_QUERY}, H2's client in the prepare of its commit command, as UTF-16) and then either
 * drops them and closes both sides ({@link Cut#BEFORE_COMMIT}: the server never sees the commit and
 * rolls back when it sees the disconnect), or forwards them, waits for the server's reply, drops
 * the reply and closes both sides ({@link Cut#AFTER_COMMIT}: the transaction committed, its
 * acknowledgement is lost). A cut is armed once and fires on the first connection that sends
 * {@code COMMIT}; the statements of a test must not contain the upper-case word otherwise.
 *
 * <p>Use connections that have not committed before (no pool): drivers may cache a prepared
 * {@code COMMIT} and not send its text again. Thread-safe.
 */
public final class CuttingProxy implements AutoCloseable {
    /** When to cut. */
    public enum Cut {
        /** Drop the {@code COMMIT} itself: the server never receives it. */
        BEFORE_COMMIT,
        /** Forward the {@code COMMIT}, drop the server's reply. */
        AFTER_COMMIT,
        /**
         * Close the driver's side at once, hold the {@code COMMIT} for a while, then forward it
         * and drop the reply: the driver sees the failure while its {@code COMMIT} is still in
         * flight, and the server commits only later (a slow network, a stalled server).
         */
        DELAYED_COMMIT
    }

    private static final byte[] ASCII = "COMMIT".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] UTF16 = "COMMIT".getBytes(StandardCharsets.UTF_16BE);

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Armed> armed = new AtomicReference<>();
    private final CountDownLatch fired = new CountDownLatch(1);
    private final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
    // volatile: read by the accepting thread, written by the test
    private volatile boolean refusing;

    private CuttingProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "cutting-proxy-accept-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Starts a proxy to a server.
     *
     * @param host the server's host
     * @param port the server's port
     * @return the running proxy, listening on a free loopback port
     * @throws IOException if it cannot listen
     */
    public static CuttingProxy start(String host, int port) throws IOException {
        return new CuttingProxy(host, port);
    }

    /** @return the loopback port the proxy listens on */
    public int port() {
        return server.getLocalPort();
    }

    /**
     * Arms a cut for the next {@code COMMIT} any connection sends.
     *
     * @param cut when to cut
     * @param refuseAfter whether to refuse every new connection once the cut fired (the database
     *        becomes unreachable)
     * @param extraRequests how many further client messages to forward after the one carrying
     *        {@code COMMIT} before the reply is dropped ({@link Cut#AFTER_COMMIT} only): 1 for H2,
     *        whose client prepares {@code COMMIT} in one round trip and executes it in the next
     */
    public void arm(Cut cut, boolean refuseAfter, int extraRequests) {
        armed.set(new Armed(cut, refuseAfter, extraRequests, 0));
    }

    /**
     * Arms a {@link Cut#DELAYED_COMMIT} for the next {@code COMMIT} any connection sends.
     * Not for H2, whose client sends the commit's execution only after the reply to its prepare.
     *
     * @param delayMillis how long the {@code COMMIT} is held after the driver's side was closed
     */
    public void armDelayedCommit(long delayMillis) {
        armed.set(new Armed(Cut.DELAYED_COMMIT, false, 0, delayMillis));
    }

    /**
     * Waits for the armed cut to fire.
     *
     * @param seconds the most to wait
     * @return whether it fired
     * @throws InterruptedException if interrupted
     */
    public boolean awaitFired(long seconds) throws InterruptedException {
        return fired.await(seconds, TimeUnit.SECONDS);
    }

    /** @return whether the armed cut fired */
    public boolean hasFired() {
        return fired.getCount() == 0;
    }

    /** @param refuse whether to close every new connection at once, as an unreachable server would */
    public void refuse(boolean refuse) {
        refusing = refuse;
    }

    /**
     * Returns how many times a driver sent bytes: one per request on these request-reply
     * protocols (several pipelined messages flushed together count once), so the round trips.
     *
     * @return the count since the last {@link #resetRequests()}
     */
    public int requests() {
        return requests.get();
    }

    /** Sets the request count to zero. */
    public void resetRequests() {
        requests.set(0);
    }

    /** @return the sockets the proxy holds open now, to the driver or to the server */
    public int openSockets() {
        return open.size();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            closeQuietly(s);
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            if (refusing) {
                closeQuietly(client);
                continue;
            }
            Socket upstream = new Socket();
            try {
                upstream.connect(new InetSocketAddress(targetHost, targetPort), 5000);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(upstream);
                continue;
            }
            open.add(client);
            open.add(upstream);
            Link link = new Link(client, upstream);
            start("cutting-proxy-up", link::clientToServer);
            start("cutting-proxy-down", link::serverToClient);
        }
    }

    private static void start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing a socket the other side may have closed already
        }
    }

    private record Armed(Cut cut, boolean refuseAfter, int extraRequests, long delayMillis) {
    }

    /** One proxied connection: the driver's socket and the server's. */
    private final class Link {
        private final Socket client;
        private final Socket upstream;
        // volatile: set by the upstream pump, read by the downstream one
        private volatile boolean dropReplies;
        private Armed cutting;
        private int extraLeft;
        private byte[] tail = new byte[0];

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void clientToServer() {
            byte[] buf = new byte[65536];
            boolean replyEnds = false;
            try {
                // not closed here: a held COMMIT's link must stay open until the server's reply ends it
                InputStream in = client.getInputStream();
                OutputStream out = upstream.getOutputStream();
                int n;
                while ((n = in.read(buf)) > 0) {
                    requests.incrementAndGet();
                    if (cutting != null) {
                        if (--extraLeft <= 0) {
                            dropReplies = true; // before forwarding: the reply may come back at once
                        }
                        out.write(buf, 0, n);
                        out.flush();
                        continue;
                    }
                    if (containsCommit(buf, n)) {
                        Armed a = armed.getAndSet(null);
                        if (a != null) {
                            if (a.cut() == Cut.BEFORE_COMMIT) {
                                cut(a);
                                return;
                            }
                            if (a.cut() == Cut.DELAYED_COMMIT) {
                                open.remove(client);
                                closeQuietly(client);
                                fired.countDown();
                                Thread.sleep(a.delayMillis());
                                cutting = a;
                                dropReplies = true;
                                replyEnds = true; // the reply (or the server's close) ends the link
                                out.write(buf, 0, n);
                                out.flush();
                                return;
                            }
                            cutting = a;
                            extraLeft = a.extraRequests();
                            dropReplies = extraLeft == 0;
                        }
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // either side closed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                if (!replyEnds) {
                    end();
                }
            }
        }

        void serverToClient() {
            byte[] buf = new byte[65536];
            try (InputStream in = upstream.getInputStream(); OutputStream out = client.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (dropReplies) {
                        cut(cutting);
                        return;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // either side closed
            } finally {
                end();
            }
        }

        private void cut(Armed a) {
            if (a.refuseAfter()) {
                refusing = true;
            }
            fired.countDown(); // before the driver can see the cut
            end();
        }

        private void end() {
            open.remove(client);
            open.remove(upstream);
            closeQuietly(client);
            closeQuietly(upstream);
        }

        private boolean containsCommit(byte[] buf, int n) {
            byte[] joined = new byte[tail.length + n];
            System.arraycopy(tail, 0, joined, 0, tail.length);
            System.arraycopy(buf, 0, joined, tail.length, n);
            int keep = Math.min(joined.length, UTF16.length - 1);
            tail = java.util.Arrays.copyOfRange(joined, joined.length - keep, joined.length);
            return indexOf(joined, ASCII) >= 0 || indexOf(joined, UTF16) >= 0;
        }

        private int indexOf(byte[] hay, byte[] needle) {
            outer:
            for (int i = 0; i + needle.length <= hay.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (hay[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }
}
