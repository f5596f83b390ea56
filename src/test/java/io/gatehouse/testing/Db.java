package io.gatehouse.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Plain JDBC on the test database, so assertions about stored rows work in every test mode. */
public final class Db {

    private Db() {
    }

    public static long count(String sql, Object... params) {
        return ((Number) value(sql, params)).longValue();
    }

    public static Object value(String sql, Object... params) {
        List<Object> values = column(sql, params);
        return values.isEmpty() ? null : values.getFirst();
    }

    public static List<Object> column(String sql, Object... params) {
        try (Connection c = DriverManager.getConnection(PostgresResource.jdbcUrl(), "postgres", "postgres");
             PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            List<Object> values = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getObject(1));
                }
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs one statement (an insert or update a test sets its stage with); returns the rows it changed. */
    public static int execute(String sql, Object... params) {
        try (Connection c = DriverManager.getConnection(PostgresResource.jdbcUrl(), "postgres", "postgres");
             PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every row of the tenant tables as text: a fingerprint to prove a request changed nothing. */
    public static String snapshot() {
        return snapshot("orgs", "org_domains", "connections", "users", "identity_links", "sessions");
    }

    /** Every row of these tables as text (a fingerprint of just them). */
    public static String snapshot(String... tables) {
        StringBuilder all = new StringBuilder();
        for (String table : tables) {
            all.append(table).append(':').append(column("select string_agg(t::text, '|' order by t::text) from " + table + " t")).append('\n');
        }
        return all.toString();
    }
}
