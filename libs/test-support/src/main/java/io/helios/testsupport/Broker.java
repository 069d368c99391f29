package io.helios.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * The AMQP broker for tests: RabbitMQ on 127.0.0.1:5672 (CI installs and starts it).
 */
public final class Broker {

    public static final String HOST = "127.0.0.1";
    public static final int PORT = 5672;

    private Broker() {
    }

    public static boolean answers() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, PORT), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Fails with a clear message when no broker answers. */
    public static void require() {
        if (!answers()) {
            throw new IllegalStateException("no AMQP broker answers on " + HOST + ":" + PORT
                    + " (start RabbitMQ: .ci/run does it, or `rabbitmq-server -detached`)");
        }
    }
}
