package io.helios.controlplane.endpoint;

import io.helios.service.web.ApiException;
import io.helios.postgres.JdbcUrls;

import java.util.TreeSet;

/**
 * The rules an endpoint's JDBC URL and credentials follow when registered or changed: the URL as
 * the driver reads it ({@link JdbcUrls}) names one host and only allowed parameters (else 400 naming
 * the parameters, never their values), and a change of host, port, database or user needs the
 * password again, so the stored password never reaches a server it was not given for. Pure.
 */
public final class JdbcUrlPolicy {

    private JdbcUrlPolicy() {
    }

    /**
     * The checked URL.
     *
     * @throws ApiException 400 for a URL the driver cannot parse, a host list or a parameter off the list
     */
    public static JdbcUrls.Parsed check(String jdbcUrl) {
        JdbcUrls.Parsed parsed = JdbcUrls.parse(jdbcUrl)
                .orElseThrow(() -> ApiException.invalid("jdbcUrl", "not a valid PostgreSQL JDBC URL"));
        if (!parsed.singleHost()) {
            throw ApiException.invalid("jdbcUrl", "exactly one host is allowed (host lists are refused)");
        }
        if (!parsed.refused().isEmpty()) {
            throw ApiException.invalid("jdbcUrl", "parameter" + (parsed.refused().size() > 1 ? "s " : " ")
                    + String.join(", ", new TreeSet<>(parsed.refused())) + " not allowed (allowed: "
                    + String.join(", ", new TreeSet<>(JdbcUrls.ALLOWED)) + ")");
        }
        return parsed;
    }

    /** {@code host:port/database} of a URL, for messages (never the URL itself); "?" when it does not parse. */
    static String addressOf(String jdbcUrl) {
        return JdbcUrls.parse(jdbcUrl).map(JdbcUrls.Parsed::address).orElse("?");
    }

    /**
     * Refuses a change of address or user that does not give the password again.
     *
     * @throws ApiException 400 "password required when the endpoint's address or user changes"
     */
    public static void requirePasswordOnMove(String currentUrl, String currentUser, String newUrl, String newUser,
                                             String newPassword, boolean hasStoredPassword) {
        if (newPassword != null || !hasStoredPassword) {
            return;
        }
        if (!addressOf(currentUrl).equals(addressOf(newUrl)) || addressOf(newUrl).equals("?")
                || !currentUser.equals(newUser)) {
            throw ApiException.invalid("password", "password required when the endpoint's address or user changes");
        }
    }
}
