package io.helios.codec.internal;

/**
 * Malformed body content found while decoding; {@code BatchCodec} turns it into a
 * {@code CORRUPT} or {@code TOO_LARGE} refusal. Carries no stack trace: it is an expected outcome.
 */
public final class Corrupt extends RuntimeException {

    private final boolean tooLarge;

    private Corrupt(String message, boolean tooLarge) {
        super(message, null, false, false);
        this.tooLarge = tooLarge;
    }

    public static Corrupt of(String message) {
        return new Corrupt(message, false);
    }

    public static Corrupt tooLarge(String message) {
        return new Corrupt(message, true);
    }

    public boolean isTooLarge() {
        return tooLarge;
    }
}
