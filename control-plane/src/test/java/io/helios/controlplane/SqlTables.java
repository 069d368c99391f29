package io.helios.controlplane;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the control plane's tables in SQL, for {@link ModularityTest}: the tables the Flyway
 * migrations create, and the tables a compiled class names in the SQL it carries. A class's SQL
 * is read from its constant pool rather than its source, so string concatenation, text blocks
 * and {@code @Query} annotations all arrive as the compiler folded them, and comments are not
 * mistaken for SQL. Stateless.
 */
final class SqlTables {

    /** How a statement reaches a table. */
    enum Access { READ, WRITE }

    /** A table named in a statement and how the statement uses it. */
    record Use(String table, Access access, String statement) {
    }

    // DELETE FROM and INSERT INTO come first so that their FROM or INTO is not read as a read
    private static final Pattern USE = Pattern.compile(
            "\\b(delete\\s+from|insert\\s+into|update|from|join)\\s+([a-z_][a-z0-9_.]*)(\\s+set\\b)?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern CREATE_TABLE = Pattern.compile(
            "\\bcreate\\s+table\\s+(?:if\\s+not\\s+exists\\s+)?([a-z_][a-z0-9_]*)", Pattern.CASE_INSENSITIVE);

    private SqlTables() {
    }

    /** The tables that the migrations on the classpath ({@code db/migration}) create. */
    static Set<String> created() {
        URL migrations = SqlTables.class.getResource("/db/migration");
        if (migrations == null) {
            throw new IllegalStateException("no db/migration on the test classpath");
        }
        Set<String> tables = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of(migrations.toURI()))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".sql")).toList()) {
                Matcher m = CREATE_TABLE.matcher(Files.readString(file));
                while (m.find()) {
                    tables.add(m.group(1).toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return tables;
    }

    /** Every use of one of {@code tables} in the string constants of the class file at {@code classFile}. */
    static List<Use> usedBy(URI classFile, Set<String> tables) {
        List<Use> uses = new ArrayList<>();
        for (String constant : stringConstants(classFile)) {
            Matcher m = USE.matcher(constant);
            while (m.find()) {
                String keyword = m.group(1).toLowerCase(Locale.ROOT);
                String table = m.group(2).toLowerCase(Locale.ROOT);
                if (keyword.equals("update") && m.group(3) == null) {
                    continue; // "update" in prose or in ON CONFLICT ... DO UPDATE SET, not UPDATE <table> SET
                }
                if (tables.contains(table)) {
                    Access access = keyword.equals("from") || keyword.equals("join") ? Access.READ : Access.WRITE;
                    uses.add(new Use(table, access, constant));
                }
            }
        }
        return uses;
    }

    /** The UTF-8 entries of a class file's constant pool: names, descriptors and string literals. */
    private static List<String> stringConstants(URI classFile) {
        try (InputStream raw = classFile.toURL().openStream(); DataInputStream in = new DataInputStream(raw)) {
            in.readInt(); // magic
            in.readUnsignedShort(); // minor version
            in.readUnsignedShort(); // major version
            int count = in.readUnsignedShort();
            List<String> utf8 = new ArrayList<>();
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> utf8.add(in.readUTF());
                    case 7, 8, 16, 19, 20 -> in.skipNBytes(2);
                    case 15 -> in.skipNBytes(3);
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
                    case 5, 6 -> {
                        in.skipNBytes(8);
                        i++; // a long or double takes two slots
                    }
                    default -> throw new IllegalStateException("unknown constant pool tag " + tag + " in " + classFile);
                }
            }
            return utf8;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
