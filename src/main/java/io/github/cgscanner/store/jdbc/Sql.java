package io.github.cgscanner.store.jdbc;

import io.vertx.sqlclient.Tuple;
import java.sql.SQLException;
import java.util.Collection;
import java.util.StringJoiner;

/** Small helpers for bound statements: values only ever travel as parameters. */
final class Sql {
  private static final String UNIQUE_VIOLATION = "23505";

  private Sql() {}

  static Tuple args(Object... values) {
    Tuple t = Tuple.tuple();
    for (Object v : values) t.addValue(v);
    return t;
  }

  /** {@code ?, ?, ?} for a list of values bound one by one. */
  static String placeholders(int n) {
    StringJoiner j = new StringJoiner(", ");
    for (int i = 0; i < n; i++) j.add("?");
    return j.toString();
  }

  static void addAll(Tuple t, Collection<?> values) {
    for (Object v : values) t.addValue(v);
  }

  static boolean isUniqueViolation(Throwable err) {
    for (Throwable t = err; t != null; t = t.getCause()) {
      if (t instanceof SQLException e && UNIQUE_VIOLATION.equals(e.getSQLState())) return true;
    }
    return false;
  }
}
