package io.helios.postgres.copy;

import io.helios.core.change.TableId;
import io.helios.core.tenant.TableFilter;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;
import io.helios.postgres.Sql;
import io.helios.postgres.catalog.Catalog;
import io.helios.postgres.catalog.TableDef;
import io.helios.testsupport.PostgresCluster;
import io.helios.testsupport.TestClusters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.List;
import java.util.Map;

import static io.helios.postgres.Sql.scalar;
import static org.assertj.core.api.Assertions.assertThat;

/** The parallel copy's plan: block ranges that together read every row of a table exactly once. */
class ParallelCopyPlanIT {

    private static final String DB = "copy_plan_src";
    private static final TenantScope ACME = new TenantScope("acme", TenancyModel.ROW, "public", null, "tenant_id",
            TableFilter.ALL);
    private static PostgresCluster pg;

    @BeforeAll
    static void source() {
        pg = TestClusters.shared();
        pg.createDatabase(DB);
        Sql.exec(pg, DB, "CREATE TABLE public.big (tenant_id text NOT NULL, id int PRIMARY KEY, pad text)",
                "CREATE TABLE public.small (tenant_id text NOT NULL, id int PRIMARY KEY)",
                "INSERT INTO public.big SELECT CASE WHEN g % 3 = 0 THEN 'globex' ELSE 'acme' END, g, repeat('p', 100)"
                        + " FROM generate_series(1, 20000) g",
                // holes and moved rows: deleted rows and updated rows live in other blocks than their neighbours
                "DELETE FROM public.big WHERE id % 7 = 0", "UPDATE public.big SET pad = 'moved' WHERE id % 11 = 0",
                "INSERT INTO public.small VALUES ('acme', 1)");
    }

    @Test
    void largeTablesSplitIntoRangesThatPartitionTheirRowsLargestFirst() throws Exception {
        try (Connection src = pg.connect(DB)) {
            List<TableDef> tables = Catalog.tables(src, ACME);
            long big = Long.parseLong(scalar(pg, DB, "SELECT pg_relation_size('public.big')"));
            List<ParallelCopy.Part> parts = ParallelCopy.plan(src, ACME, tables,
                    Map.of(new TableId("public", "big"), big, new TableId("public", "small"), 8192L),
                    new CopyOptions(2, 0, 64 * 1024));
            List<ParallelCopy.Part> bigParts = parts.stream().filter(p -> p.table().id().table().equals("big")).toList();
            assertThat(bigParts).hasSizeBetween(2, 8);
            assertThat(parts).filteredOn(p -> p.table().id().table().equals("small")).singleElement()
                    .satisfies(p -> assertThat(p.range()).isNull());
            assertThat(parts.get(parts.size() - 1).table().id().table()).isEqualTo("small");
            StringBuilder union = new StringBuilder();
            for (ParallelCopy.Part p : bigParts) {
                union.append(union.isEmpty() ? "" : " UNION ALL ").append("SELECT id FROM public.big WHERE ").append(p.range());
            }
            String all = scalar(pg, DB, "SELECT count(*) FROM public.big");
            assertThat(scalar(pg, DB, "SELECT count(*) FROM (" + union + ") u")).isEqualTo(all);
            assertThat(scalar(pg, DB, "SELECT count(DISTINCT id) FROM (" + union + ") u")).isEqualTo(all);
        }
    }

    @Test
    void tablesBelowTheSplitSizeAreCopiedWhole() throws Exception {
        try (Connection src = pg.connect(DB)) {
            List<TableDef> tables = Catalog.tables(src, ACME);
            List<ParallelCopy.Part> parts = ParallelCopy.plan(src, ACME, tables,
                    Map.of(new TableId("public", "big"), 1_000_000L, new TableId("public", "small"), 8192L),
                    new CopyOptions(4, 0, 10_000_000L));
            assertThat(parts).hasSize(2).allSatisfy(p -> assertThat(p.range()).isNull());
        }
    }
}
