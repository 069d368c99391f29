package io.helios.postgres;

import javax.net.SocketFactory;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
 * <p>Why gather as much as a megabyte: on loopback (and on any host, for the kernel's part) a
 * walsender's send of one small message costs a whole segment's transmission, receive path
 * included, unless the segment cannot leave yet because the receiver's window is closed, in
 * which case the send only appends to the queue and the queue leaves later in large segments.
 * PostgreSQL's own apply worker reads more slowly than the walsender writes, so its receive
 * queue holds about a megabyte during a catch-up and the walsender's sends stay cheap; a reader
 * that drains the socket as fast as it fills keeps the window open and makes the walsender pay
 * for every message (measured with {@code perf}: {@code sendto} was 45% of the walsender's CPU
 * against 15% for native replication, and the walsender is the critical path of a catch-up).
 *
 * <p>What: while the stream is busy (more than {@link #BUSY_BYTES_PER_SECOND} over the last
 * {@link #WINDOW_NANOS}, a catch-up), when the kernel holds less than {@link #LOW_WATER} bytes,
 * {@code available()} and the driver's 1 ms peek wait for up to {@link #GATHER_NANOS} by
 * sleeping (not by waiting on the socket, so the sender wakes nobody), then read what is there,
 * up to {@link #BUFFER} bytes per system call, and keep reading without waiting while reads
 * come back full. At most {@code GATHER_NANOS} is added per read, while a backlog is being read
 * anyway. A quiet stream (a live tenant's trickle) is read as soon as a byte is there, looked
 * for every 0.5 ms. Either way the driver's 1 ms peek is answered by looking at the socket, not
 * by a timed read on it: the JDK reports a timed read that finds nothing with a stack-traced
 * exception, and an idle stream is peeked hundreds of times a second; here the peek that finds
 * nothing ends in the {@link SocketTimeoutException} the driver expects, without a stack
 * trace. Blocking reads without a timeout, and everything else the driver does, go to the
 * socket unchanged.
 *
 * <p>Used through the driver's {@code socketFactory} property by {@link PgEndpoint#openReplication()}.
 * Under TLS the layered socket reads through this one, so the same holds for the ciphertext.
 */
public final class ReplicationSocketFactory extends SocketFactory {

    /** Bytes read from the socket at most in one system call. */
    static final int BUFFER = 256 * 1024;
    /** Bytes the kernel may hold before a busy stream is read: what native replication's apply worker lets gather. */
    static final int LOW_WATER = 1024 * 1024;
    /** Longest a read waits for {@link #LOW_WATER} bytes to gather. */
    static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long NAP_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    private static final long QUIET_NAP_NANOS = TimeUnit.MICROSECONDS.toNanos(500);
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
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
    }

    private Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
        Socket s = createSocket();
        if (local != null) {
            s.bind(local);
        }
        s.connect(remote);
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

    /**
     * Buffers up to {@link #BUFFER} bytes per read (the driver's own buffer holds 8 KiB, so a
     * gathered read would otherwise still be cut into 8 KiB system calls) and, while busy,
     * gathers before reading.
     */
    static final class GatheringInputStream extends FilterInputStream {

        private final GatheringSocket socket;
        private final byte[] buffer = new byte[BUFFER];
        private int position;
        private int limit;
        /** Read-rate window: used by the one thread that reads the stream. */
        private long windowStart = System.nanoTime();
        private long windowBytes;
        private boolean busy;
        /** The last read filled the buffer: more is waiting, so the next one does not gather. */
        private boolean lastReadFull;

        GatheringInputStream(InputStream in, GatheringSocket socket) {
            super(in);
            this.socket = socket;
        }

        @Override
        public int available() throws IOException {
            if (limit > position) {
                return limit - position;
            }
            int n = in.available();
            return !busy || lastReadFull || n == 0 || n >= LOW_WATER ? n : gather(n, GATHER_NANOS);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n <= 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (limit == position && fill() < 0) {
                return -1;
            }
            int n = Math.min(len, limit - position);
            System.arraycopy(buffer, position, b, off, n);
            position += n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long buffered = Math.min(n, limit - position);
            position += (int) buffered;
            return buffered < n ? buffered + in.skip(n - buffered) : buffered;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        /** One read from the socket into the empty buffer: the bytes read, or -1 at the end of the stream. */
        private int fill() throws IOException {
            int timeout = socket.timeoutMillis();
            if (timeout > 0 && timeout <= PEEK_TIMEOUT_MILLIS) {
                // the driver's "anything there?" peek: answered by looking, never by a timed read
                // on the socket, whose timeout the JDK reports with a stack-traced exception
                long wait = TimeUnit.MILLISECONDS.toNanos(timeout);
                int available = in.available();
                if ((busy && !lastReadFull ? gather(available, wait) : awaitAny(available, wait)) == 0) {
                    count(0);
                    throw new IdlePoll();
                }
            }
            int n;
            try {
                n = in.read(buffer, 0, buffer.length);
            } catch (SocketTimeoutException e) {
                count(0);
                throw e;
            }
            position = 0;
            limit = Math.max(n, 0);
            lastReadFull = n == buffer.length;
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

        /** Sleeps in a few naps until any byte is buffered or {@code limit} passes; the bytes then. */
        private int awaitAny(int available, long limit) throws IOException {
            int n = available;
            long deadline = System.nanoTime() + limit;
            while (n == 0 && deadline - System.nanoTime() > 0) {
                LockSupport.parkNanos(QUIET_NAP_NANOS);
                if (Thread.currentThread().isInterrupted()) {
                    break;
                }
                n = in.available();
            }
            return n;
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
