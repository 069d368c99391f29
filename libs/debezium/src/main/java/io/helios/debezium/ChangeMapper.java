package io.helios.debezium;

import io.helios.core.change.Change;
import io.helios.core.change.Column;
import io.helios.core.change.Relation;
import io.helios.core.change.RowImage;
import io.helios.core.change.TableId;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns Debezium data change records into Helios {@link Change}s.
 *
 * <p>Relations come from the record's row schema (column order = the table's attribute
 * order) and key schema (the key columns), completed from {@link SourceCatalog} with the
 * relation OID, replica identity and column type OIDs. One {@link Relation} instance is
 * handed out per row schema instance, so the applier sees a new one only when the table's
 * shape changed.
 *
 * <p>Debezium splits an UPDATE that changes the primary key into a DELETE (header
 * {@code __debezium.newkey}) and a CREATE (header {@code __debezium.oldkey}); the mapper holds
 * such a DELETE back and joins it with its CREATE into one UPDATE, as {@code pgoutput} sends
 * it. Call {@link #flush} at the end of each transaction.
 *
 * <p>Threading: confined to the Debezium consumer thread.
 */
final class ChangeMapper {

    private static final String NEW_KEY = "__debezium.newkey";
    private static final String OLD_KEY = "__debezium.oldkey";
    private static final int MAX_CACHED_SHAPES = 10_000;

    private final SourceCatalog catalog;
    private final PgText text;
    private final Map<Schema, Relation> relations = new IdentityHashMap<>();
    private Change heldDelete;

    ChangeMapper(SourceCatalog catalog, PgText text) {
        this.catalog = catalog;
        this.text = text;
    }

    /** Maps one data record, handing 0..2 changes to {@code out} in source order. */
    void map(SourceRecord record, Consumer<Change> out) {
        Struct value = (Struct) record.value();
        String op = value.getString("op");
        Relation relation = relation(record);
        switch (op) {
            case "c", "r" -> insert(record, relation, value, out);
            case "u" -> out.accept(Change.update(relation, image(value, "before"), image(value, "after")));
            case "d" -> delete(record, relation, value, out);
            case "t" -> out.accept(Change.truncate(List.of(relation)));
            default -> { } // "m": logical decoding messages are not replicated
        }
    }

    /** Releases a held key-change DELETE that found no CREATE. */
    void flush(Consumer<Change> out) {
        if (heldDelete != null) {
            out.accept(heldDelete);
            heldDelete = null;
        }
    }

    private void insert(SourceRecord record, Relation relation, Struct value, Consumer<Change> out) {
        RowImage after = image(value, "after");
        Change held = heldDelete;
        if (held != null && record.headers().lastWithName(OLD_KEY) != null && held.relation().table().equals(relation.table())) {
            heldDelete = null;
            out.accept(Change.update(relation, held.before(), after));
            return;
        }
        flush(out);
        out.accept(Change.insert(relation, after));
    }

    private void delete(SourceRecord record, Relation relation, Struct value, Consumer<Change> out) {
        flush(out);
        Change delete = Change.delete(relation, image(value, "before"));
        if (record.headers().lastWithName(NEW_KEY) != null) {
            heldDelete = delete;
        } else {
            out.accept(delete);
        }
    }

    private RowImage image(Struct value, String side) {
        Struct row = value.getStruct(side);
        if (row == null) {
            return null;
        }
        List<Field> fields = row.schema().fields();
        String[] values = new String[fields.size()];
        for (int i = 0; i < values.length; i++) {
            Field f = fields.get(i);
            values[i] = text.column(f.schema(), row.get(f));
        }
        return RowImage.of(values);
    }

    private Relation relation(SourceRecord record) {
        Schema rowSchema = record.valueSchema().field("after").schema();
        Relation r = relations.get(rowSchema);
        if (r == null) {
            if (relations.size() >= MAX_CACHED_SHAPES) {
                relations.clear();
            }
            r = build(record, rowSchema);
            relations.put(rowSchema, r);
        }
        return r;
    }

    private Relation build(SourceRecord record, Schema rowSchema) {
        Struct source = ((Struct) record.value()).getStruct("source");
        TableId id = new TableId(source.getString("schema"), source.getString("table"));
        List<String> names = rowSchema.fields().stream().map(Field::name).toList();
        SourceCatalog.Table table = catalog.table(id, names);
        Schema keySchema = record.keySchema();
        List<Column> columns = new ArrayList<>(names.size());
        for (String name : names) {
            int[] type = table.type(name);
            boolean key = keySchema != null && keySchema.field(name) != null;
            columns.add(new Column(name, type[0], type[1], key));
        }
        return new Relation(table.oid(), id, columns, table.replicaIdentity());
    }
}
