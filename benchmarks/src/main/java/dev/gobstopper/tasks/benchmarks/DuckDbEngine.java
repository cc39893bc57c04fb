package dev.gobstopper.tasks.benchmarks;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

/**
 * Facts about the DuckDB engine a store runs on.
 */
final class DuckDbEngine {

	private DuckDbEngine() {
	}

	static String version(DataSource dataSource) throws SQLException {
		try (Connection connection = dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT version()")) {
			rs.next();
			return "DuckDB " + rs.getString(1);
		}
	}

}
