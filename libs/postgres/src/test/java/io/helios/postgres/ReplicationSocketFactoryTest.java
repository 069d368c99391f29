package io.helios.postgres;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The gathering socket over a real loopback connection: what the driver sees must not change, only when. */
class ReplicationSocketFactoryTest {

    private ServerSocket server;
    private Socket client;
    private Socket peer;

    @BeforeEach
    void connect() throws Exception {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        client = new ReplicationSocketFactory().createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        peer = server.accept();
    }

    @AfterEach
    void close() throws Exception {
        client.close();
        peer.close();
        server.close();
    }

    @Test
    void aQuietStreamsEmptyPeekTimesOutWithoutAStackTrace() throws Exception {
        client.setSoTimeout(1);
        InputStream in = client.getInputStream();
        long start = System.nanoTime();
        assertThatThrownBy(() -> in.read(new byte[16], 0, 16))
                .isInstanceOf(SocketTimeoutException.class)
                .satisfies(e -> assertThat(e.getStackTrace()).isEmpty());
        assertThat(System.nanoTime() - start).isLessThan(500_000_000L);
    }

    @Test
    void afterABusyBurstAPeekThatFindsNothingTimesOutWithoutAStackTrace() throws Exception {
        int burst = 4 << 20;
        Thread writer = new Thread(() -> {
            try {
                write(peer.getOutputStream(), burst);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        InputStream in = client.getInputStream();
        client.setSoTimeout(0);
        in.readNBytes(burst);
        writer.join();
        client.setSoTimeout(1);
        Throwable idle = null;
        long start = System.nanoTime();
        for (int attempt = 0; attempt < 200 && idle == null; attempt++) {
            try {
                in.read(new byte[16], 0, 16);
            } catch (SocketTimeoutException e) {
                idle = e;
            }
        }
        assertThat(idle).as("a busy stream's empty peek").isNotNull();
        assertThat(idle.getStackTrace()).isEmpty();
        assertThat(System.nanoTime() - start).isLessThan(500_000_000L);
    }

    @Test
    void aPeekReadsWhatIsThereEvenWhenLessThanABufferful() throws Exception {
        write(peer.getOutputStream(), 100);
        client.setSoTimeout(1);
        InputStream in = client.getInputStream();
        byte[] buffer = new byte[8192];
        int total = 0;
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (total < 100 && System.nanoTime() < deadline) {
            try {
                total += in.read(buffer, total, buffer.length - total);
            } catch (SocketTimeoutException e) {
                // the bytes are still on their way through loopback
            }
        }
        assertThat(total).isEqualTo(100);
        assertThat(Arrays.copyOf(buffer, 100)).isEqualTo(pattern(100));
    }

    @Test
    void aQuietStreamsAvailableReportsWhatTheKernelHolds() throws Exception {
        int sent = 60 * 1024;
        write(peer.getOutputStream(), sent);
        InputStream in = client.getInputStream();
        long deadline = System.nanoTime() + 5_000_000_000L;
        int available = 0;
        while (available < sent && System.nanoTime() < deadline) {
            available = in.available();
        }
        assertThat(available).isEqualTo(sent);
        assertThat(in.readNBytes(sent)).isEqualTo(pattern(sent));
    }

    @Test
    void blockingReadsWithoutATimeoutPassThrough() throws Exception {
        write(peer.getOutputStream(), 3000);
        client.setSoTimeout(0);
        byte[] got = client.getInputStream().readNBytes(3000);
        assertThat(got).isEqualTo(pattern(3000));
    }

    private static void write(OutputStream out, int n) throws Exception {
        out.write(pattern(n));
        out.flush();
    }

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31);
        }
        return b;
    }
}
