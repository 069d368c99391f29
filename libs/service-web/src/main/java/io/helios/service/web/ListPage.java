package io.helios.service.web;

import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/**
 * One page of a collection in id order: its items and, when more follow, the opaque cursor of the
 * next page (pass it back as {@code ?cursor=}); {@code next} is absent on the last page.
 */
@Schema(description = "One page of a collection, in id order")
public record ListPage<T>(
        @Schema(description = "The items of this page (at most the requested limit)") List<T> items,
        @Schema(description = "Cursor of the next page; absent on the last page", nullable = true) String next) {

    public ListPage {
        items = List.copyOf(items);
    }
}
