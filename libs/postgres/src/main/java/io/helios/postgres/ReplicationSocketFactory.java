package io.helios.postgres;

import javax.net.SocketFactory;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Sockets for walsender connections that read the replication stream in full buffers rather
 * than message by message.
 *
 * <p>Why: pgjdbc's non-blocking {@code readPending()} asks the socket whether bytes are there
 * ({@code available()}) and, when none are, waits up to 1 ms for one in {@code poll}. A reader
 * that keeps up with the walsender therefore wakes for every message the walsender sends (tens
 * of thousands a second at full speed), reads a hundred bytes, and makes the walsender pay a
 * wake-up in each of its sends, all on the cores the walsender itself needs. Measured on the
 * throughput benchmark, two thirds of the capture thread's CPU went to those reads and polls.
 *
 * <p>What: while the stream is busy (more than {@link #BUSY_BYTES_PER_SECOND} over the last
 * {@link #WINDOW_NANOS}, a catch-up), when little is buffered in the kernel, {@code available()}
 * and the driver's 1 ms peek wait for up to {@link #GATHER_NANOS} by sleeping (not by waiting
 * on the socket, so the sender wakes nobody), until at least {@link #LOW_WATER} bytes are there,
 * then read them all at once: at most {@code GATHER_NANOS} added per read, while a backlog is
 * being read anyway. A quiet stream (a live tenant's trickle) is read as it comes, so its lag
 * is unchanged. Blocking reads without a timeout, and everything else the driver does, go to
 * the socket unchanged; a gathered peek that finds nothing ends in the
 * {@link SocketTimeoutException} the driver expects (without a stack trace: it is the normal
 * outcome of an idle poll).
 *
 * <p>Used through the driver's {@code socketFactory} property by {@link PgEndpoint#openReplication()}.
 * Under TLS the layered socket reads through this one, so the same holds for the ciphertext.
 */
public final class ReplicationSocketFactory extends SocketFactory {

    /** Bytes worth one read: pgjdbc's receive buffer holds 8 KiB. */
    static final int LOW_WATER = 8192;
    /** Longest a read waits for {@link #LOW_WATER} bytes to gather. */
    static final long GATHER_NANOS = TimeUnit.MICROSECONDS.toNanos(1000);
    private static final long NAP_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    /** Read rate above which the stream counts as busy: about 20,000 small row changes a second. */
    static final long BUSY_BYTES_PER_SECOND = 3L << 20;
    static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** The driver's peek sets this timeout (ms) around a read that may find nothing. */
    private static final int PEEK_TIMEOUT_MILLIS = 1;

    /** The driver instantiates the factory by reflection. */
    public ReplicationSocketFactory() {
    }

    @Override
    public Socket createSocket() {
        return new GatheringSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket s = createSocket();
        s.connect(new java.net.InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        Socket s = createSocket();
        s.bind(new java.net.InetSocketAddress(localHost, localPort));
        s.connect(new java.net.InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        Socket s = createSocket();
        s.connect(new java.net.InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        Socket s = createSocket();
        s.bind(new java.net.InetSocketAddress(localAddress, localPort));
        s.connect(new java.net.InetSocketAddress(address, port));
        return s;
    }

    /** A plain socket whose input stream gathers; remembers its timeout (reading it back is a lock and a field). */
    static final class GatheringSocket extends Socket {

        private volatile int timeoutMillis;
        private InputStream in;

        @Override
        public synchronized void setSoTimeout(int timeout) throws SocketException {
            super.setSoTimeout(timeout);
            timeoutMillis = timeout;
        }

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = new GatheringInputStream(super.getInputStream(), this);
            }
            return in;
        }

        int timeoutMillis() {
            return timeoutMillis;
        }
    }

    static final class GatheringInputStream extends FilterInputStream {

        private final GatheringSocket socket;
        /** Read-rate window: used by the one thread that reads the stream. */
        private long windowStart = System.nanoTime();
        private long windowBytes;
        private boolean busy;

        GatheringInputStream(InputStream in, GatheringSocket socket) {
            super(in);
            this.socket = socket;
        }

        @Override
        public int available() throws IOException {
            int n = in.available();
            return !busy || n == 0 || n >= LOW_WATER ? n : gather(n, GATHER_NANOS);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int timeout = socket.timeoutMillis();
            if (busy && timeout > 0 && timeout <= PEEK_TIMEOUT_MILLIS
                    && gather(in.available(), TimeUnit.MILLISECONDS.toNanos(timeout)) == 0) {
                count(0);
                throw new IdlePoll();
            }
            int n;
            try {
                n = in.read(b, off, len);
            } catch (SocketTimeoutException e) {
                count(0);
                throw e;
            }
            count(n);
            return n;
        }

        private void count(int n) {
            if (n > 0) {
                windowBytes += n;
            }
            long now = System.nanoTime();
            long elapsed = now - windowStart;
            if (elapsed >= WINDOW_NANOS) {
                busy = windowBytes * 1_000_000_000.0 / elapsed >= BUSY_BYTES_PER_SECOND;
                windowStart = now;
                windowBytes = 0;
            }
        }

        /** Sleeps in short naps until {@code LOW_WATER} bytes are buffered or {@code limit} passes; the bytes then. */
        private int gather(int available, long limit) throws IOException {
            int n = available;
            long deadline = System.nanoTime() + limit;
            while (n < LOW_WATER && deadline - System.nanoTime() > 0) {
                LockSupport.parkNanos(NAP_NANOS);
                if (Thread.currentThread().isInterrupted()) {
                    break;
                }
                n = in.available();
            }
            return n;
        }
    }

    /** "Nothing arrived within the peek's timeout": an expected outcome, so no stack trace. */
    static final class IdlePoll extends SocketTimeoutException {
        private static final long serialVersionUID = 1L;

        IdlePoll() {
            super("no replication data within the poll timeout");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
