package io.helios.stack;

/** The end-to-end suite on the Debezium Embedded capture engine. */
class DebeziumEndToEndIT extends ReplicationEndToEnd {

    @Override
    String engine() {
        return "DEBEZIUM";
    }
}
