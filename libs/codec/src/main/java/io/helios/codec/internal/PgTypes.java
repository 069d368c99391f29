package io.helios.codec.internal;

/** The built-in PostgreSQL type OIDs whose text form the codec knows. */
final class PgTypes {

    static final int BOOL = 16;
    static final int BYTEA = 17;
    static final int INT8 = 20;
    static final int INT2 = 21;
    static final int INT4 = 23;
    static final int OID = 26;
    static final int FLOAT4 = 700;
    static final int FLOAT8 = 701;
    static final int DATE = 1082;
    static final int TIMESTAMP = 1114;
    static final int TIMESTAMPTZ = 1184;
    static final int NUMERIC = 1700;
    static final int UUID = 2950;

    private PgTypes() {
    }

    static boolean isInteger(int oid) {
        return oid == INT2 || oid == INT4 || oid == INT8 || oid == OID;
    }

    static int timeKind(int oid) {
        return switch (oid) {
            case TIMESTAMP -> TextTimes.TIMESTAMP;
            case TIMESTAMPTZ -> TextTimes.TIMESTAMPTZ;
            case DATE -> TextTimes.DATE;
            default -> -1;
        };
    }
}
