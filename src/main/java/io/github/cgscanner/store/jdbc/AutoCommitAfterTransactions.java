package io.github.cgscanner.store.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;

/**
 * A connection that goes back to auto-commit when a transaction ends. Vert.x's JDBC client 5.0.7 ends
 * each commit and rollback with {@code setAutoCommit(false)} (JDBCTxOp), so every statement that a
 * pooled connection ran after its first transaction stayed in an open transaction: invisible to other
 * sessions, holding its row locks, and rolled back when the connection was recycled. Measured before
 * this wrapper (DatabaseCommitTest): none of 100 single-statement writes on connections that had run a
 * transaction was visible to another session.
 * A {@code setAutoCommit(false)} that directly follows a commit or rollback is turned into
 * {@code setAutoCommit(true)}; the one that begins a transaction passes through.
 */
final class AutoCommitAfterTransactions implements InvocationHandler {
  private final Connection connection;
  private boolean transactionJustEnded;

  private AutoCommitAfterTransactions(Connection connection) {
    this.connection = connection;
  }

  static Connection wrap(Connection connection) {
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        new AutoCommitAfterTransactions(connection));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    String name = method.getName();
    boolean ending = name.equals("commit") || name.equals("rollback");
    if (name.equals("setAutoCommit") && transactionJustEnded && Boolean.FALSE.equals(args[0])) {
      transactionJustEnded = false;
      connection.setAutoCommit(true);
      return null;
    }
    transactionJustEnded = ending && (args == null || args.length == 0);
    try {
      return method.invoke(connection, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
