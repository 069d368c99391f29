package io.helios.codec;

/** PostgreSQL's timestamp range as microseconds since 2000-01-01. */
final class TextTimesTestSupport {
    /** 4713-11-24 00:00:00 BC. */
    static final long MIN_MICROS = -211_813_488_000_000_000L;
    /** 294276-12-31 23:59:59.999999. */
    static final long MAX_MICROS = 9_223_371_331_199_999_999L;

    private TextTimesTestSupport() {
    }
}
