package dev.gobstopper.tasks.duckdb;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Explicit transactions on a DuckDB connection. They are begun with a statement rather than
 * by turning auto-commit off, because DuckDB's driver begins such a transaction only when a
 * statement runs, and an Appender runs none.
 */
final class Transactions {

	private Transactions() {
	}

	static void begin(Connection connection) throws SQLException {
		execute(connection, "BEGIN TRANSACTION");
	}

	static void commit(Connection connection) throws SQLException {
		execute(connection, "COMMIT");
	}

	/**
	 * Roll back, ignoring a failure: DuckDB ends a transaction itself when a statement in it
	 * fails badly enough that the rollback cannot run.
	 */
	static void rollback(Connection connection) {
		try {
			execute(connection, "ROLLBACK");
		}
		catch (SQLException ex) {
			// Nothing left to roll back
		}
	}

	static void execute(Connection connection, String sql) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

}
