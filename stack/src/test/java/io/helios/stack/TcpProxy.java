package io.helios.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on a local port in front of one address, for network faults in tests: {@link #cut()}
 * drops every connection and refuses new ones (a partition between whoever uses the proxy and the
 * server), {@link #restore()} listens again on the same port. Threads: one acceptor, two pumps per
 * connection, all daemons.
 */
final class TcpProxy implements AutoCloseable {

    private final String host;
    private final int port;
    private final int localPort;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;

    private TcpProxy(String host, int port, int localPort) {
        this.host = host;
        this.port = port;
        this.localPort = localPort;
    }

    static TcpProxy start(String host, int port) throws IOException {
        ServerSocket probe = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        int local = probe.getLocalPort();
        probe.close();
        TcpProxy p = new TcpProxy(host, port, local);
        p.restore();
        return p;
    }

    int port() {
        return localPort;
    }

    synchronized void restore() throws IOException {
        if (server != null) {
            return;
        }
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), localPort));
        server = s;
        Thread acceptor = new Thread(() -> accept(s), "tcp-proxy-accept-" + localPort);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    synchronized void cut() {
        ServerSocket s = server;
        server = null;
        close(s);
        open.forEach(TcpProxy::close);
        open.clear();
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                Socket upstream = new Socket();
                try {
                    upstream.connect(new InetSocketAddress(host, port), 2000);
                } catch (IOException e) {
                    close(client);
                    continue;
                }
                open.add(client);
                open.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // the other side closed or the proxy was cut
            } finally {
                close(from);
                close(to);
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void close(java.io.Closeable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        cut();
    }
}
