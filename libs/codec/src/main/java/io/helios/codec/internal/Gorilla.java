package io.helios.codec.internal;

/**
 * Gorilla XOR coding of 64-bit floating point bits (Pelkonen et al., "Gorilla: A Fast, Scalable,
 * In-Memory Time Series Database", 2015): the first value whole, then per value a 0 bit when it
 * repeats, else the XOR with the previous value, reusing the previous window of meaningful bits
 * when the new one fits in it (10), else 6 bits of leading zeros, 6 bits of length - 1 and the
 * bits (11). Stateless helpers.
 */
public final class Gorilla {

    private Gorilla() {
    }

    public static void encode(long[] values, int n, ByteWriter out) {
        BitWriter bits = new BitWriter(out);
        if (n == 0) {
            return;
        }
        long prev = values[0];
        bits.write(prev, 64);
        int prevLead = -1;
        int prevTrail = 0;
        for (int i = 1; i < n; i++) {
            long x = values[i] ^ prev;
            prev = values[i];
            if (x == 0) {
                bits.write(0, 1);
                continue;
            }
            int lead = Math.min(Long.numberOfLeadingZeros(x), 63);
            int trail = Long.numberOfTrailingZeros(x);
            if (prevLead >= 0 && lead >= prevLead && trail >= prevTrail) {
                bits.write(0b10, 2);
                bits.write(x >>> prevTrail, 64 - prevLead - prevTrail);
            } else {
                int len = 64 - lead - trail;
                bits.write(0b11, 2);
                bits.write(lead, 6);
                bits.write(len - 1, 6);
                bits.write(x >>> trail, len);
                prevLead = lead;
                prevTrail = trail;
            }
        }
        bits.flush();
    }

    /** Estimated encoded bits of {@code n} values, for choosing between encodings. */
    public static long estimateBits(long[] values, int n) {
        if (n == 0) {
            return 0;
        }
        long total = 64;
        for (int i = 1; i < n; i++) {
            long x = values[i] ^ values[i - 1];
            total += x == 0 ? 1 : 14 + 64 - Long.numberOfLeadingZeros(x) - Long.numberOfTrailingZeros(x);
        }
        return total;
    }

    public static void decode(byte[] buf, int off, int len, int n, long[] dst) {
        if (n == 0) {
            return;
        }
        BitReader bits = new BitReader(buf, off, len);
        long prev = bits.read(64);
        dst[0] = prev;
        int lead = -1;
        int trail = 0;
        for (int i = 1; i < n; i++) {
            if (bits.read(1) != 0) {
                if (bits.read(1) != 0) {
                    lead = (int) bits.read(6);
                    int length = (int) bits.read(6) + 1;
                    trail = 64 - lead - length;
                    if (trail < 0) {
                        throw Corrupt.of("gorilla window exceeds 64 bits");
                    }
                } else if (lead < 0) {
                    throw Corrupt.of("gorilla value reuses a window before one was set");
                }
                prev ^= bits.read(64 - lead - trail) << trail;
            }
            dst[i] = prev;
        }
    }

    private static final class BitWriter {
        private final ByteWriter out;
        private long acc;
        private int used;

        BitWriter(ByteWriter out) {
            this.out = out;
        }

        void write(long v, int n) {
            if (n == 64) {
                write(v >>> 32, 32);
                write(v & 0xFFFFFFFFL, 32);
                return;
            }
            v &= (1L << n) - 1;
            int free = 64 - used;
            if (n <= free) {
                acc |= v << (free - n);
                used += n;
                if (used == 64) {
                    out.writeLong(acc);
                    acc = 0;
                    used = 0;
                }
            } else {
                int rest = n - free;
                acc |= v >>> rest;
                out.writeLong(acc);
                acc = v << (64 - rest);
                used = rest;
            }
        }

        void flush() {
            for (int i = 0; i < (used + 7) / 8; i++) {
                out.writeByte((int) (acc >>> (56 - 8 * i)));
            }
            acc = 0;
            used = 0;
        }
    }

    private static final class BitReader {
        private final byte[] buf;
        private final long endBit;
        private long bit;

        BitReader(byte[] buf, int off, int len) {
            this.buf = buf;
            this.bit = (long) off * 8;
            this.endBit = (long) (off + len) * 8;
        }

        long read(int n) {
            if (n == 0) {
                return 0;
            }
            if (bit + n > endBit) {
                throw Corrupt.of("gorilla bits end early");
            }
            long v = 0;
            int left = n;
            while (left > 0) {
                int byteAt = (int) (bit >>> 3);
                int inByte = (int) (bit & 7);
                int take = Math.min(8 - inByte, left);
                int b = (buf[byteAt] & 0xFF) >>> (8 - inByte - take) & ((1 << take) - 1);
                v = (v << take) | b;
                left -= take;
                bit += take;
            }
            return v;
        }
    }
}
