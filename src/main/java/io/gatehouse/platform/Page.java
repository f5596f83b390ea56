package io.gatehouse.platform;

import java.util.List;

/** One page of a list; pass {@code next_cursor} back as {@code after} for the next page (null: the end). */
public record Page<T>(List<T> data, String nextCursor) {

    /** The largest page a caller may ask for. */
    public static final int MAX_LIMIT = 200;

    /** A requested page size, checked. */
    public static int limit(Integer requested) {
        if (requested == null) {
            return 50;
        }
        if (requested < 1 || requested > MAX_LIMIT) {
            throw ApiException.invalidField("limit", "must be between 1 and " + MAX_LIMIT);
        }
        return requested;
    }
}
