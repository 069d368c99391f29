package io.helios.core.tenant;

import java.util.regex.Pattern;

/**
 * Validation of names that end up in SQL (schemas, columns, tenant ids used in slot names).
 * Helios always quotes identifiers, but accepts only plain ones so that names are
 * unambiguous in logs, globs and slot names.
 */
public final class Identifiers {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}");
    private static final Pattern TENANT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

    private Identifiers() {
    }

    public static boolean isValid(String identifier) {
        return identifier != null && IDENTIFIER.matcher(identifier).matches();
    }

    /** Throws {@link IllegalArgumentException} naming {@code what} when invalid. */
    public static String require(String identifier, String what) {
        if (!isValid(identifier)) {
            throw new IllegalArgumentException(what + " '" + identifier
                    + "' is not a valid identifier (letters, digits, _ and $, starting with a letter or _, at most 63)");
        }
        return identifier;
    }

    public static boolean isValidTenantId(String id) {
        return id != null && TENANT_ID.matcher(id).matches();
    }
}
