package io.helios.stack;

/** New tables joining running replications, on the PgOutput capture engine. */
class NewTablesPgOutputIT extends NewTablesEndToEnd {

    @Override
    String engine() {
        return "PGOUTPUT";
    }
}
