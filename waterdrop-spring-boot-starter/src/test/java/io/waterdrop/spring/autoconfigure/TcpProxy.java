package io.waterdrop.spring.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder a test can stop and start again on the same port: to a client it looks like a broker that goes
 * away and comes back, while the real broker keeps running.
 */
final class TcpProxy implements AutoCloseable {

    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile int targetPort;
    private volatile ServerSocket server;
    private int port;

    /** Listens on a free port; forwards once {@link #forwardTo(int)} was called (connections before are closed). */
    TcpProxy start() {
        return start(0);
    }

    synchronized TcpProxy start(int listenPort) {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("localhost", listenPort));
            this.server = socket;
            this.port = socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new IllegalStateException("could not listen on port " + listenPort, ex);
        }
        Thread acceptor = new Thread(this::accept, "tcp-proxy-" + this.port);
        acceptor.setDaemon(true);
        acceptor.start();
        return this;
    }

    void forwardTo(int target) {
        this.targetPort = target;
    }

    int port() {
        return this.port;
    }

    /** Closes the listening socket and every forwarded connection. */
    synchronized void stop() {
        closeQuietly(this.server);
        this.sockets.forEach(TcpProxy::closeQuietly);
        this.sockets.clear();
    }

    /** Listens again on the same port. */
    void restart() {
        start(this.port);
    }

    @Override
    public void close() {
        stop();
    }

    private void accept() {
        ServerSocket listening = this.server;
        while (!listening.isClosed()) {
            try {
                Socket client = listening.accept();
                int target = this.targetPort;
                if (target == 0) {
                    client.close();
                    continue;
                }
                Socket upstream = new Socket("localhost", target);
                this.sockets.add(client);
                this.sockets.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            }
            catch (IOException ex) {
                // Closed by stop(), or the target refused: the client sees a dropped connection, as intended.
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, read);
                }
            }
            catch (IOException ex) {
                // Connection closed.
            }
            finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "tcp-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            if (closeable != null) {
                closeable.close();
            }
        }
        catch (Exception ex) {
            // Already closed.
        }
    }
}
