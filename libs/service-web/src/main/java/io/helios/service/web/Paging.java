package io.helios.service.web;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Keyset paging of the list endpoints: {@code ?limit=} (default {@value #DEFAULT_LIMIT}, 1 to
 * {@value #MAX_LIMIT}) and an opaque {@code ?cursor=} that encodes the last id of the previous page.
 * Items are read from the database in id order after that id, in chunks, and filtered by what the
 * caller may see, until the page is full: every visible item is answered exactly once however the
 * pages are cut, and items added or removed between pages do not shift the others. Stateless.
 *
 * @param limit how many items the page holds at most
 * @param after the id the page starts after (decoded from the cursor); null for the first page
 */
public record Paging(int limit, String after) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    /** Reads the query parameters; 400 naming {@code limit} or {@code cursor} when they are not valid. */
    public static Paging of(Integer limit, String cursor) {
        int n = limit == null ? DEFAULT_LIMIT : limit;
        if (n < 1 || n > MAX_LIMIT) {
            throw ApiException.invalid("limit", "must be between 1 and " + MAX_LIMIT);
        }
        if (cursor == null || cursor.isEmpty()) {
            return new Paging(n, null);
        }
        try {
            if (cursor.length() > 400) {
                throw new IllegalArgumentException("too long");
            }
            return new Paging(n, new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("cursor", "not a cursor this API answered");
        }
    }

    /** The cursor that starts after {@code id}. */
    static String cursor(String id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Collects one page.
     *
     * @param parseKey turns the cursor's id back into a key (400 naming {@code cursor} when it cannot)
     * @param fetch    reads at most n rows with a key greater than the given one (null: from the start), in key order
     * @param key      the key of a row
     * @param visible  whether the caller may see a row
     * @param view     what the API answers for a row
     */
    public <K, E, V> ListPage<V> collect(Function<String, K> parseKey, BiFunction<K, Integer, List<E>> fetch,
                                         Function<E, K> key, Predicate<E> visible, Function<E, V> view) {
        K position = start(parseKey);
        List<V> items = new ArrayList<>();
        K lastTaken = null;
        int chunk = limit + 1;
        while (true) {
            List<E> rows = fetch.apply(position, chunk);
            for (E row : rows) {
                if (!visible.test(row)) {
                    continue;
                }
                if (items.size() == limit) {
                    return new ListPage<>(items, cursor(lastTaken.toString()));
                }
                items.add(view.apply(row));
                lastTaken = key.apply(row);
            }
            if (rows.size() < chunk) {
                return new ListPage<>(items, null);
            }
            position = key.apply(rows.get(rows.size() - 1));
        }
    }

    private <K> K start(Function<String, K> parseKey) {
        if (after == null) {
            return null;
        }
        try {
            return parseKey.apply(after);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("cursor", "not a cursor this API answered");
        }
    }
}
