package io.helios.codec.internal;

/**
 * Sequences of longs as zig-zag varints of their differences (order 1) or differences of
 * differences (order 2), and of small ints as runs. Arithmetic wraps, so any long round-trips.
 */
public final class LongRuns {

    private LongRuns() {
    }

    /** The order (1 or 2) that writes fewer bytes for these values. */
    public static int bestOrder(long[] v, int n) {
        long size1 = 0;
        long size2 = 0;
        long prevDelta = 0;
        for (int i = 1; i < n; i++) {
            long d = v[i] - v[i - 1];
            size1 += ByteWriter.varLongSize(ByteWriter.zigZag(d));
            size2 += ByteWriter.varLongSize(ByteWriter.zigZag(d - prevDelta));
            prevDelta = d;
        }
        return size2 < size1 ? 2 : 1;
    }

    public static void write(ByteWriter out, long[] v, int n, int order) {
        long prev = 0;
        long prevDelta = 0;
        for (int i = 0; i < n; i++) {
            long d = v[i] - prev;
            out.writeZigZag(order == 1 ? d : d - prevDelta);
            prevDelta = i == 0 ? 0 : d;
            prev = v[i];
        }
    }

    public static void read(ByteReader in, long[] dst, int n, int order) {
        long prev = 0;
        long prevDelta = 0;
        for (int i = 0; i < n; i++) {
            long z = in.readZigZag();
            long d = order == 1 ? z : z + prevDelta;
            prevDelta = i == 0 ? 0 : d;
            prev += d;
            dst[i] = prev;
        }
    }

    /** Ints as (value, run length) pairs preceded by the number of runs. */
    public static void writeRuns(ByteWriter out, int[] v, int n, boolean zigZag) {
        int runs = 0;
        for (int i = 0; i < n; i++) {
            if (i == 0 || v[i] != v[i - 1]) {
                runs++;
            }
        }
        out.writeVarInt(runs);
        int i = 0;
        while (i < n) {
            int j = i + 1;
            while (j < n && v[j] == v[i]) {
                j++;
            }
            if (zigZag) {
                out.writeZigZag(v[i]);
            } else {
                out.writeVarInt(v[i]);
            }
            out.writeVarInt(j - i);
            i = j;
        }
    }

    public static void readRuns(ByteReader in, int[] dst, int n, boolean zigZag) {
        int runs = in.readCount(n, "run count");
        int i = 0;
        for (int r = 0; r < runs; r++) {
            long value = zigZag ? in.readZigZag() : in.readVarInt();
            if (value != (int) value) {
                throw Corrupt.of("run value out of range");
            }
            int len = in.readVarInt();
            if (len == 0 || len > n - i) {
                throw Corrupt.of("runs cover more than " + n + " values");
            }
            java.util.Arrays.fill(dst, i, i + len, (int) value);
            i += len;
        }
        if (i != n) {
            throw Corrupt.of("runs cover " + i + " of " + n + " values");
        }
    }

    public static int countRuns(int[] v, int n) {
        int runs = 0;
        for (int i = 0; i < n; i++) {
            if (i == 0 || v[i] != v[i - 1]) {
                runs++;
            }
        }
        return runs;
    }
}
