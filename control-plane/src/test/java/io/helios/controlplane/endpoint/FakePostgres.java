package io.helios.controlplane.endpoint;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A one-connection server speaking just enough of the PostgreSQL protocol to make the driver fail
 * in a chosen way: accept SSL then answer garbage (a TLS handshake failure), or ask for a cleartext
 * password and answer with an error message that echoes it.
 */
final class FakePostgres implements AutoCloseable {

    enum Mode { BROKEN_TLS, ECHO_PASSWORD }

    private final ServerSocket server;

    FakePostgres(Mode mode) throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> serve(mode), "fake-postgres");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void serve(Mode mode) {
        try (Socket s = server.accept()) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            if (mode == Mode.BROKEN_TLS) {
                in.readFully(new byte[8]);               // SSLRequest
                out.write('S');
                out.write("HTTP/1.1 400 Bad Request\r\n\r\n this is not TLS".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                in.read(new byte[1024]);                 // the client hello, then the driver gives up
                return;
            }
            int length = in.readInt();
            in.readFully(new byte[length - 4]);          // StartupMessage
            out.write('R');
            out.writeInt(8);
            out.writeInt(3);                             // AuthenticationCleartextPassword
            out.flush();
            in.readByte();                               // 'p'
            byte[] body = new byte[in.readInt() - 4];
            in.readFully(body);
            String password = new String(body, 0, body.length - 1, StandardCharsets.UTF_8);
            error(out, "28P01", "password \"" + password + "\" is not the one for this user");
            in.read(new byte[16]);
        } catch (IOException ignored) {
            // the driver closed the connection: that is the point
        }
    }

    private static void error(DataOutputStream out, String state, String message) throws IOException {
        byte[] fields = ("SFATAL\0VFATAL\0C" + state + "\0M" + message + "\0\0").getBytes(StandardCharsets.UTF_8);
        out.write('E');
        out.writeInt(4 + fields.length);
        out.write(fields);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
