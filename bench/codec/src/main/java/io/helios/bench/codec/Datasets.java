package io.helios.bench.codec;

import io.helios.codec.ChangeBatch;
import io.helios.core.change.Change;
import io.helios.core.change.Column;
import io.helios.core.change.Lsn;
import io.helios.core.change.Relation;
import io.helios.core.change.RowImage;
import io.helios.core.change.SourceTransaction;
import io.helios.core.change.TableId;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * The three benchmark data sets, generated from a fixed seed, as a capture engine would hand
 * them over (values in PostgreSQL text form, row images as views of the received bytes), in
 * transactions of 1 to 20 changes:
 * <ul>
 *   <li>{@code orders}: an e-commerce order table, mostly inserts, some status updates;</li>
 *   <li>{@code events}: an IoT time series, inserts of readings from 200 devices;</li>
 *   <li>{@code saas}: a wide 30-column account table of a SaaS product, mostly updates.</li>
 * </ul>
 */
final class Datasets {

    static final List<String> NAMES = List.of("orders", "events", "saas");

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final String[] FIRST = {"Anna", "Ben", "Chloé", "David", "Emma", "Felix", "Grace", "Hugo", "Ines", "Jonas",
        "Kai", "Lena", "Mia", "Noah", "Olga", "Paul", "Quinn", "Rosa", "Sven", "Tara", "Umar", "Vera", "Wei", "Xenia", "Yusuf", "Zoë"};
    private static final String[] LAST = {"Müller", "Smith", "García", "Rossi", "Dubois", "Kowalski", "Johansson", "Novak",
        "Silva", "Tanaka", "Nguyen", "O'Brien", "Schmidt", "Jensen", "Costa", "Horvath", "Ivanova", "Kim", "Patel", "Weber"};
    private static final String[] WORDS = ("the quick order was shipped to customer after payment cleared and the warehouse "
            + "confirmed stock levels for next week while support answered a question about invoices refunds and delivery "
            + "times in several regions with new pricing plans").split(" ");
    private static final String[] COUNTRIES = {"DE", "US", "FR", "GB", "NL", "PL", "ES", "IT", "SE", "JP", "BR", "IN"};

    private Datasets() {
    }

    static ChangeBatch generate(String name, int rows) {
        return switch (name) {
            case "orders" -> new Orders(rows).batch();
            case "events" -> new Events(rows).batch();
            case "saas" -> new Saas(rows).batch();
            default -> throw new IllegalArgumentException("unknown data set " + name);
        };
    }

    /** Shared machinery: transactions, LSNs, commit times. */
    private abstract static class Generator {
        final Random rnd = new Random(42);
        final int rows;
        long lsn = 0x16_0000_0000L;
        long xid = 880_000;
        long micros = Instant.parse("2026-03-02T08:00:00Z").toEpochMilli() * 1000;

        Generator(int rows) {
            this.rows = rows;
        }

        abstract Change next();

        ChangeBatch batch() {
            List<SourceTransaction> txs = new ArrayList<>();
            int made = 0;
            while (made < rows) {
                int n = Math.min(rows - made, 1 + rnd.nextInt(20));
                List<Change> changes = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    changes.add(next());
                }
                made += n;
                long commit = lsn += 200 + rnd.nextInt(2000) + n * 180L;
                micros += 1000 + rnd.nextInt(20_000);
                txs.add(new SourceTransaction(xid++, new Lsn(commit), new Lsn(commit + 48),
                        Instant.ofEpochSecond(micros / 1_000_000, micros % 1_000_000 * 1000), changes));
            }
            return new ChangeBatch("acme", "acme-eu-to-us", 1, txs);
        }

        String timestamptz(long epochMicros) {
            long frac = Math.floorMod(epochMicros, 1_000_000);
            String s = TS.format(Instant.ofEpochSecond(Math.floorDiv(epochMicros, 1_000_000)));
            if (frac != 0) {
                String f = String.format("%06d", frac);
                s += "." + f.replaceAll("0+$", "");
            }
            return s + "+00";
        }

        String name() {
            return FIRST[rnd.nextInt(FIRST.length)] + " " + LAST[rnd.nextInt(LAST.length)];
        }

        String words(int n) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < n; i++) {
                b.append(i == 0 ? "" : " ").append(WORDS[rnd.nextInt(WORDS.length)]);
            }
            return b.toString();
        }

        static Column col(String name, int oid, boolean key) {
            return new Column(name, oid, -1, key);
        }
    }

    private static final class Orders extends Generator {
        final Relation rel = new Relation(16_501, new TableId("shop", "orders"), List.of(
                col("id", 20, true), col("tenant_id", 23, false), col("customer_id", 20, false),
                col("customer_name", 25, false), col("amount", 1700, false), col("currency", 1042, false),
                col("status", 16_600, false), col("payload", 3802, false), col("created_at", 1184, false),
                col("updated_at", 1184, false)), 'd');
        final List<String[]> open = new ArrayList<>();
        long id = 1_200_000;

        Orders(int rows) {
            super(rows);
        }

        @Override
        Change next() {
            if (!open.isEmpty() && rnd.nextInt(5) == 0) {
                String[] row = open.remove(rnd.nextInt(open.size())).clone();
                row[6] = row[6].equals("new") ? "paid" : row[6].equals("paid") ? "shipped" : "delivered";
                row[9] = timestamptz(micros + rnd.nextInt(1000));
                return Change.update(rel, null, view(row));
            }
            long customer = 10_000 + rnd.nextInt(5000);
            int items = 1 + rnd.nextInt(4);
            StringBuilder p = new StringBuilder("{\"items\": [");
            long cents = 0;
            for (int i = 0; i < items; i++) {
                int price = 199 + rnd.nextInt(20_000);
                int qty = 1 + rnd.nextInt(3);
                cents += (long) price * qty;
                p.append(i == 0 ? "" : ", ").append("{\"sku\": \"SKU-").append(10_000 + rnd.nextInt(800))
                        .append("\", \"qty\": ").append(qty).append(", \"price\": ").append(price / 100).append('.')
                        .append(String.format("%02d", price % 100)).append('}');
            }
            p.append("], \"channel\": \"").append(rnd.nextInt(3) == 0 ? "mobile" : "web").append("\", \"shipping\": {\"method\": \"")
                    .append(rnd.nextInt(4) == 0 ? "express" : "standard").append("\", \"country\": \"")
                    .append(COUNTRIES[rnd.nextInt(COUNTRIES.length)]).append("\"}, \"coupon\": ")
                    .append(rnd.nextInt(10) == 0 ? "\"SPRING10\"" : "null").append('}');
            String created = timestamptz(micros + rnd.nextInt(1000));
            String[] row = {Long.toString(id++), "42", Long.toString(customer), name(),
                Long.toString(cents / 100) + "." + String.format("%02d", cents % 100), rnd.nextInt(5) == 0 ? "USD" : "EUR",
                "new", p.toString(), created, created};
            if (open.size() < 500) {
                open.add(row);
            }
            return Change.insert(rel, view(row));
        }
    }

    private static final class Events extends Generator {
        final Relation rel = new Relation(16_502, new TableId("iot", "readings"), List.of(
                col("ts", 1184, true), col("device_id", 20, true), col("temperature", 701, false),
                col("humidity", 701, false), col("pressure", 701, false), col("voltage", 700, false)), 'd');
        final double[] temp = new double[200];
        final double[] pressure = new double[200];
        long ts = micros;

        Events(int rows) {
            super(rows);
            for (int d = 0; d < temp.length; d++) {
                temp[d] = 18 + rnd.nextDouble() * 8;
                pressure[d] = 1000 + rnd.nextDouble() * 30;
            }
        }

        @Override
        Change next() {
            int d = rnd.nextInt(temp.length);
            ts += 200 + rnd.nextInt(800);
            temp[d] += rnd.nextGaussian() * 0.05;
            pressure[d] += rnd.nextGaussian() * 0.1;
            String[] row = {timestamptz(ts), Long.toString(7_000_000 + d), fmt(Math.round(temp[d] * 100) / 100.0),
                fmt(Math.round((45 + rnd.nextGaussian() * 5) * 10) / 10.0), fmt(pressure[d]),
                new java.math.BigDecimal(Float.toString((float) (3.3 - rnd.nextDouble() * 0.4))).stripTrailingZeros().toPlainString()};
            return Change.insert(rel, view(row));
        }

        /** PostgreSQL's float8 text for these magnitudes (plain decimal, shortest digits). */
        static String fmt(double v) {
            return new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
        }
    }

    private static final class Saas extends Generator {
        final Relation rel;
        final List<String[]> accounts = new ArrayList<>();

        Saas(int rows) {
            super(rows);
            List<Column> cols = new ArrayList<>(List.of(col("id", 2950, true), col("tenant_id", 23, false),
                    col("name", 25, false), col("email", 1043, false), col("plan", 1043, false), col("country", 1042, false),
                    col("locale", 1043, false), col("timezone", 1043, false), col("company", 25, false),
                    col("job_title", 25, false), col("phone", 1043, false), col("notes", 25, false),
                    col("referrer", 25, false), col("status", 1043, false)));
            for (String f : new String[]{"email_verified", "mfa_enabled", "marketing_opt_in", "beta_features", "sso_enabled",
                "api_access", "dark_mode", "weekly_digest", "is_admin", "is_suspended", "trial", "gdpr_consent"}) {
                cols.add(col(f, 16, false));
            }
            cols.addAll(List.of(col("seats", 23, false), col("created_at", 1184, false), col("updated_at", 1184, false),
                    col("last_login_at", 1184, false)));
            rel = new Relation(16_503, new TableId("app", "accounts"), cols, 'd');
            for (int i = 0; i < 2000; i++) {
                accounts.add(account());
            }
        }

        private String[] account() {
            String name = name();
            String[] row = new String[30];
            row[0] = new UUID(rnd.nextLong(), rnd.nextLong()).toString();
            row[1] = "42";
            row[2] = name;
            row[3] = name.toLowerCase(Locale.ROOT).replace(' ', '.').replace("'", "") + "@" + WORDS[rnd.nextInt(WORDS.length)]
                    + ".example.com";
            row[4] = List.of("free", "starter", "pro", "enterprise").get(rnd.nextInt(4));
            row[5] = COUNTRIES[rnd.nextInt(COUNTRIES.length)];
            row[6] = List.of("en-US", "de-DE", "fr-FR", "en-GB", "ja-JP").get(rnd.nextInt(5));
            row[7] = List.of("Europe/Berlin", "America/New_York", "Europe/Paris", "Asia/Tokyo", "UTC").get(rnd.nextInt(5));
            row[8] = rnd.nextInt(4) == 0 ? null : LAST[rnd.nextInt(LAST.length)] + " " + List.of("GmbH", "Inc.", "Ltd", "SAS").get(rnd.nextInt(4));
            row[9] = rnd.nextInt(3) == 0 ? null : List.of("Engineer", "Manager", "CTO", "Analyst", "Designer").get(rnd.nextInt(5));
            row[10] = rnd.nextInt(2) == 0 ? null : "+49 30 " + (1_000_000 + rnd.nextInt(8_999_999));
            row[11] = rnd.nextInt(3) == 0 ? words(5 + rnd.nextInt(15)) : null;
            row[12] = rnd.nextInt(2) == 0 ? null : List.of("google", "newsletter", "partner", "direct").get(rnd.nextInt(4));
            row[13] = rnd.nextInt(10) == 0 ? "suspended" : "active";
            for (int f = 14; f < 26; f++) {
                row[f] = rnd.nextInt(f % 3 + 2) == 0 ? "t" : "f";
            }
            row[26] = Integer.toString(1 + rnd.nextInt(50));
            long created = micros - rnd.nextInt(1_000_000_000) * 1000L;
            row[27] = timestamptz(created);
            row[28] = timestamptz(created + rnd.nextInt(1_000_000) * 1000L);
            row[29] = rnd.nextInt(5) == 0 ? null : timestamptz(micros - rnd.nextInt(100_000_000) * 1000L);
            return row;
        }

        @Override
        Change next() {
            if (rnd.nextInt(10) < 3) {
                String[] row = account();
                row[27] = timestamptz(micros);
                row[28] = row[27];
                accounts.add(row);
                return Change.insert(rel, view(row));
            }
            String[] row = accounts.get(rnd.nextInt(accounts.size()));
            row[14 + rnd.nextInt(12)] = rnd.nextBoolean() ? "t" : "f";
            if (rnd.nextInt(3) == 0) {
                row[29] = timestamptz(micros + rnd.nextInt(1000));
            }
            row[28] = timestamptz(micros + rnd.nextInt(1000));
            return Change.update(rel, null, view(row.clone()));
        }
    }

    /** The row as a capture engine hands it over: a view of one received UTF-8 buffer. */
    static RowImage view(String[] values) {
        byte[][] parts = new byte[values.length][];
        int total = 0;
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                parts[i] = values[i].getBytes(StandardCharsets.UTF_8);
                total += parts[i].length;
            }
        }
        byte[] buf = new byte[total];
        int[] off = new int[values.length];
        int[] len = new int[values.length];
        int at = 0;
        for (int i = 0; i < values.length; i++) {
            if (parts[i] == null) {
                len[i] = RowImage.NULL_LENGTH;
            } else {
                System.arraycopy(parts[i], 0, buf, at, parts[i].length);
                off[i] = at;
                len[i] = parts[i].length;
                at += parts[i].length;
            }
        }
        return RowImage.ofUtf8(buf, off, len);
    }
}
