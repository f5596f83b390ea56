package io.gatehouse.platform;

import java.time.Instant;

/** Values as the JDBC driver hands them to native queries. */
public final class SqlValues {

    private SqlValues() {
    }

    /** A timestamptz column's value as an instant (null stays null). */
    public static Instant instant(Object value) {
        return switch (value) {
            case null -> null;
            case Instant i -> i;
            case java.time.OffsetDateTime o -> o.toInstant();
            case java.sql.Timestamp t -> t.toInstant();
            default -> throw new IllegalStateException("unexpected timestamp type " + value.getClass());
        };
    }
}
