package io.helios.stack;

/** The end-to-end suite on the direct pgoutput capture engine (the default). */
class PgOutputEndToEndIT extends ReplicationEndToEnd {

    @Override
    String engine() {
        return "PGOUTPUT";
    }
}
