package io.helios.debezium;

import io.helios.core.change.Lsn;
import io.helios.core.change.RowImage;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every value arrives as exactly the text the source server prints for it (TimeZone=UTC). */
class DebeziumValuesIT {

    private static final DebeziumFixture db = new DebeziumFixture("debezium_values_it");
    private static final List<String> COLUMNS = List.of("id", "nothing", "b", "i2", "i8", "f4", "f8", "n", "nnan",
            "nfree", "money_like", "t", "vc", "bp", "j", "jb", "u", "ba", "d", "ts", "tsz", "tm", "iv", "ta", "ia",
            "na", "tza", "ba_arr", "ip", "xm", "mood");
    private static DebeziumCaptureEngine engine;
    private static RowImage row;

    @BeforeAll
    static void capture() throws Exception {
        db.tenant("vals", "CREATE TYPE mood AS ENUM ('sad', 'happy')",
                "CREATE TABLE t (id int PRIMARY KEY, nothing text, b boolean, i2 smallint, i8 bigint, f4 real, "
                        + "f8 double precision, n numeric(40,12), nnan numeric, nfree numeric, money_like numeric(10,2), "
                        + "t text, vc varchar(20), bp char(5), j json, jb jsonb, u uuid, ba bytea, d date, ts timestamp, "
                        + "tsz timestamptz, tm time, iv interval, ta text[], ia int[], na numeric[], tza timestamptz[], "
                        + "ba_arr bytea[], ip inet, xm xml, mood mood)");
        engine = new DebeziumCaptureEngine(db.endpoint, "vals", "vals", 4);
        engine.start(Lsn.ZERO);
        db.sql("INSERT INTO vals.t VALUES (1, NULL, true, -32768, 9223372036854775807, 1.5, 0.1, "
                + "'12345678901234567890123456.123456789012', 'NaN', '-0.000100', 12.30, "
                + "E'żółw 🐢 \\t\\n\\\\ \"q\"', 'abc ', 'ab', '{\"b\": [1, 2.50], \"a\": \"x\\\"y\"}', "
                + "'{\"b\": [1, 2.50], \"a\": \"x\\\"y\"}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', "
                + "'\\x00ff10ab'::bytea, '2024-02-29', '2024-02-29 23:59:59.123456', "
                + "'2024-02-29 23:59:59.123456+05:30', '13:14:15.5', '1 year 2 mons -3 days 04:05:06.789', "
                + "ARRAY['a b', 'c,d', '', NULL, 'x\"y\\z', 'NULL', '{}']::text[], '{1,NULL,3}', '{1.50,NULL,-2}', "
                + "ARRAY['2024-01-01 00:00:00+00']::timestamptz[], ARRAY['\\x01'::bytea, NULL], '10.1.2.3/24', "
                + "'<a>x</a>', 'happy')");
        row = DebeziumFixture.take(engine, 1).get(0).changes().get(0).after();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void nullIsNull() {
        assertThat(row.get(COLUMNS.indexOf("nothing"))).isNull();
    }

    @Test
    void everyValueIsTheServersTextOutput() throws Exception {
        SoftAssertions soft = new SoftAssertions();
        for (int i = 0; i < COLUMNS.size(); i++) {
            String column = COLUMNS.get(i);
            // format('%s') prints through the type's output function (bool::text would say "true")
            String expected = db.text("SELECT CASE WHEN " + column + " IS NULL THEN NULL ELSE format('%s', " + column
                    + ") END FROM vals.t WHERE id = 1");
            soft.assertThat(row.get(i)).as(column).isEqualTo(expected);
        }
        soft.assertAll();
    }
}
