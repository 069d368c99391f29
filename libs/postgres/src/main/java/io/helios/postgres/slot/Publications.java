package io.helios.postgres.slot;

import io.helios.core.change.TableId;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;
import io.helios.postgres.tenant.Discriminator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Publications of a source: creation and reconciliation per tenant scope, existence, removal.
 *
 * <p>Layout by tenancy model: SCHEMA without a table filter publishes
 * {@code TABLES IN SCHEMA} (PostgreSQL 15+), so new tables join on their own; SCHEMA with a
 * filter publishes the table list; ROW publishes each shared table with a row filter on the
 * discriminator column (PostgreSQL 15+ only), so other tenants' rows never leave the server;
 * DATABASE publishes {@code TABLES IN SCHEMA} for every non-system schema holding tables
 * (the table list when filtered or before 15). With no table, the publication exists and is
 * empty, so a slot can still stream from it. Note that UPDATE and DELETE on a row-filtered
 * table require the discriminator column to be part of the replica identity. The ROW filter is
 * the tenant's {@link Discriminator} predicate, typed by each table's column type, so a tenant id
 * that the type refuses fails here, before anything is published.
 *
 * <p>Statements run on the caller's connection, in its transaction mode. Stateless.
 */
public final class Publications {

    private static final Logger log = LoggerFactory.getLogger(Publications.class);

    private Publications() {
    }

    /** Prefix of the comment in which a publication records the clause it was last set to. */
    static final String DESCRIPTION_PREFIX = "helios: ";

    /**
     * Creates the publication, or makes an existing one publish exactly what the scope asks
     * ({@code ALTER PUBLICATION ... SET}) when it does not already. Every replication start
     * calls this, and an {@code ALTER PUBLICATION} on shared tables invalidates their cached
     * definitions in every session of the source, so an unchanged publication is left alone: it
     * records the clause it was set to in its comment, and counts as unchanged when the comment
     * and its member tables and schemas match the scope.
     *
     * @param tables the source tables the tenant has now (filtered again through the scope)
     * @throws IllegalStateException for the ROW model before PostgreSQL 15, or a publication
     *                               FOR ALL TABLES that cannot be narrowed
     * @throws io.helios.postgres.tenant.InvalidTenantIdException for a ROW tenant id that is not a
     *                               value of a table's discriminator column type
     */
    public static void ensure(Connection source, String publication, TenantScope scope, List<TableId> tables)
            throws SQLException {
        int major = source.getMetaData().getDatabaseMajorVersion();
        PublicationSpec spec = PublicationSpec.of(scope, tables, major, discriminators(source, scope, tables, major));
        String name = TableId.quote(publication);
        if (!exists(source, publication)) {
            execute(source, "CREATE PUBLICATION " + name + (spec.isEmpty() ? "" : " FOR " + spec.objects()));
            describe(source, name, spec);
            log.info("created publication {} for tenant {} ({})", publication, scope.tenantId(), scope.model());
            return;
        }
        requireNotAllTables(source, publication);
        if (publishes(source, publication, spec)) {
            log.debug("publication {} already publishes what tenant {} needs", publication, scope.tenantId());
            return;
        }
        if (spec.isEmpty()) {
            dropAllMembers(source, publication);
        } else {
            execute(source, "ALTER PUBLICATION " + name + " SET " + spec.objects());
        }
        describe(source, name, spec);
        log.info("reconciled publication {} for tenant {} ({})", publication, scope.tenantId(), scope.model());
    }

    /**
     * The tables among {@code candidates} the publication publishes now: named in its table list or
     * in one of its schemas ({@code TABLES IN SCHEMA}, PostgreSQL 15+). A table of the tenant's scope
     * that is not among them is not replicated yet (see {@link #add}).
     */
    public static Set<TableId> covered(Connection c, String publication, List<TableId> candidates) throws SQLException {
        Set<TableId> tables = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT n.nspname, cl.relname FROM pg_publication_rel r"
                + " JOIN pg_publication p ON p.oid = r.prpubid JOIN pg_class cl ON cl.oid = r.prrelid"
                + " JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE p.pubname = ?")) {
            ps.setString(1, publication);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.add(new TableId(rs.getString(1), rs.getString(2)));
                }
            }
        }
        Set<String> schemas = c.getMetaData().getDatabaseMajorVersion() < 15 ? Set.of()
                : Set.copyOf(names(c, "SELECT n.nspname FROM pg_publication_namespace pn JOIN pg_publication p"
                + " ON p.oid = pn.pnpubid JOIN pg_namespace n ON n.oid = pn.pnnspid WHERE p.pubname = ?", publication));
        Set<TableId> out = new HashSet<>();
        for (TableId t : candidates) {
            if (tables.contains(t) || schemas.contains(t.schema())) {
                out.add(t);
            }
        }
        return out;
    }

    /**
     * Adds tables of the scope to the publication ({@code ALTER PUBLICATION ... ADD}) with the
     * clause {@link #ensure} would give them (the ROW model's row filter included; a DATABASE
     * tenant's new schema as {@code TABLES IN SCHEMA} where the publication lists schemas), in the
     * caller's transaction mode, and records the publication's new clause in its comment so that
     * {@link #ensure} finds it unchanged.
     *
     * @param adding  tables of the scope the publication does not cover yet
     * @param inScope every table of the scope now, in catalog order (to describe the publication)
     */
    public static void add(Connection source, String publication, TenantScope scope, List<TableId> adding,
                           List<TableId> inScope) throws SQLException {
        int major = source.getMetaData().getDatabaseMajorVersion();
        PublicationSpec added = PublicationSpec.of(scope, adding, major, discriminators(source, scope, adding, major));
        if (added.isEmpty()) {
            return;
        }
        String name = TableId.quote(publication);
        execute(source, "ALTER PUBLICATION " + name + " ADD " + added.objects());
        Set<TableId> now = covered(source, publication, inScope);
        List<TableId> published = inScope.stream().filter(now::contains).toList();
        describe(source, name, PublicationSpec.of(scope, published, major, discriminators(source, scope, published, major)));
        log.info("added {} to publication {} of tenant {}", added.objects(), publication, scope.tenantId());
    }

    /** ROW from PostgreSQL 15: each included table's discriminator, typed by the source's catalog. */
    private static Map<TableId, Discriminator> discriminators(Connection source, TenantScope scope, List<TableId> tables,
                                                              int major) throws SQLException {
        if (scope.model() != TenancyModel.ROW || major < 15) {
            return Map.of();
        }
        Map<TableId, Discriminator> all = Discriminator.all(source, tables.stream()
                .filter(t -> scope.includes(t.schema(), t.table())).distinct().toList(), scope);
        Set<String> told = new HashSet<>();
        for (Discriminator d : all.values()) {
            if (!d.value().equals(d.tenantId()) && told.add(d.typeName())) {
                log.info("tenant id '{}' is compared as the {} {} (PostgreSQL's equality of the column type)",
                        d.tenantId(), d.typeName(), d.value());
            }
        }
        return all;
    }

    /** Whether the publication was last set to this clause and still holds exactly its tables and schemas. */
    private static boolean publishes(Connection c, String publication, PublicationSpec spec) throws SQLException {
        List<String> description = names(c, "SELECT coalesce(obj_description(oid, 'pg_publication'), '') FROM pg_publication"
                + " WHERE pubname = ?", publication);
        if (!description.equals(List.of(DESCRIPTION_PREFIX + spec.objects()))) {
            return false;
        }
        Set<TableId> tables = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT n.nspname, cl.relname FROM pg_publication_rel r"
                + " JOIN pg_publication p ON p.oid = r.prpubid JOIN pg_class cl ON cl.oid = r.prrelid"
                + " JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE p.pubname = ?")) {
            ps.setString(1, publication);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.add(new TableId(rs.getString(1), rs.getString(2)));
                }
            }
        }
        if (!tables.equals(spec.tables())) {
            return false;
        }
        if (c.getMetaData().getDatabaseMajorVersion() < 15) {
            return spec.schemas().isEmpty();
        }
        return Set.copyOf(names(c, "SELECT n.nspname FROM pg_publication_namespace pn JOIN pg_publication p"
                + " ON p.oid = pn.pnpubid JOIN pg_namespace n ON n.oid = pn.pnnspid WHERE p.pubname = ?", publication))
                .equals(spec.schemas());
    }

    private static void describe(Connection c, String quotedName, PublicationSpec spec) throws SQLException {
        execute(c, "COMMENT ON PUBLICATION " + quotedName + " IS " + PublicationSpec.literal(DESCRIPTION_PREFIX + spec.objects()));
    }

    public static boolean exists(Connection c, String publication) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_publication WHERE pubname = ?")) {
            ps.setString(1, publication);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    public static void drop(Connection c, String publication) throws SQLException {
        execute(c, "DROP PUBLICATION IF EXISTS " + TableId.quote(publication));
    }

    private static void requireNotAllTables(Connection c, String publication) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT puballtables FROM pg_publication WHERE pubname = ?")) {
            ps.setString(1, publication);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getBoolean(1)) {
                    throw new IllegalStateException("publication " + publication
                            + " is FOR ALL TABLES and cannot be narrowed to a tenant; drop it first");
                }
            }
        }
    }

    /** ALTER PUBLICATION ... SET cannot take an empty list: drop every table and schema instead. */
    private static void dropAllMembers(Connection c, String publication) throws SQLException {
        String name = TableId.quote(publication);
        List<String> tables = names(c, "SELECT format('%I.%I', n.nspname, cl.relname) FROM pg_publication_rel r "
                + "JOIN pg_publication p ON p.oid = r.prpubid JOIN pg_class cl ON cl.oid = r.prrelid "
                + "JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE p.pubname = ?", publication);
        if (!tables.isEmpty()) {
            execute(c, "ALTER PUBLICATION " + name + " DROP TABLE " + String.join(", ", tables));
        }
        if (c.getMetaData().getDatabaseMajorVersion() >= 15) {
            List<String> schemas = names(c, "SELECT format('%I', n.nspname) FROM pg_publication_namespace pn "
                    + "JOIN pg_publication p ON p.oid = pn.pnpubid JOIN pg_namespace n ON n.oid = pn.pnnspid "
                    + "WHERE p.pubname = ?", publication);
            if (!schemas.isEmpty()) {
                execute(c, "ALTER PUBLICATION " + name + " DROP TABLES IN SCHEMA " + String.join(", ", schemas));
            }
        }
    }

    private static List<String> names(Connection c, String sql, String publication) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, publication);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
