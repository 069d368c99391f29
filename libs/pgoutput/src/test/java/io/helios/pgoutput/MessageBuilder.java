package io.helios.pgoutput;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Builds pgoutput messages byte by byte, as the server writes them (big-endian). */
final class MessageBuilder {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final DataOutputStream out = new DataOutputStream(bytes);

    static MessageBuilder message(char tag) {
        return new MessageBuilder().i8(tag);
    }

    MessageBuilder i8(int v) {
        return write(() -> out.writeByte(v));
    }

    MessageBuilder i16(int v) {
        return write(() -> out.writeShort(v));
    }

    MessageBuilder i32(int v) {
        return write(() -> out.writeInt(v));
    }

    MessageBuilder i64(long v) {
        return write(() -> out.writeLong(v));
    }

    MessageBuilder cstring(String s) {
        return write(() -> {
            out.write(s.getBytes(StandardCharsets.UTF_8));
            out.writeByte(0);
        });
    }

    /** A tuple value of kind 't'. */
    MessageBuilder text(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        return write(() -> {
            out.writeByte('t');
            out.writeInt(utf8.length);
            out.write(utf8);
        });
    }

    MessageBuilder nullValue() {
        return i8('n');
    }

    MessageBuilder unchangedToast() {
        return i8('u');
    }

    /** The message in a heap buffer. */
    ByteBuffer buffer() {
        return ByteBuffer.wrap(bytes.toByteArray());
    }

    /** The message as a slice in the middle of a larger array, as pgjdbc hands XLogData out. */
    ByteBuffer sliced() {
        byte[] payload = bytes.toByteArray();
        byte[] framed = new byte[payload.length + 30];
        System.arraycopy(payload, 0, framed, 25, payload.length);
        return ByteBuffer.wrap(framed, 25, payload.length).slice();
    }

    private MessageBuilder write(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    private interface IoAction {
        void run() throws IOException;
    }
}
