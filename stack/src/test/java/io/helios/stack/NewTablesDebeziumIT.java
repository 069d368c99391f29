package io.helios.stack;

/** New tables joining running replications, on the Debezium capture engine. */
class NewTablesDebeziumIT extends NewTablesEndToEnd {

    @Override
    String engine() {
        return "DEBEZIUM";
    }
}
