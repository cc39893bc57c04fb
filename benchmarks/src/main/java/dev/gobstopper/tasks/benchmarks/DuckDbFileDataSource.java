package dev.gobstopper.tasks.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import org.duckdb.DuckDBConnection;

import org.springframework.jdbc.datasource.AbstractDataSource;

/**
 * A DuckDB file opened the way the starter opens it: created in the storage format of
 * DuckDB 1.0, one instance held open by a root connection, connections handed out as
 * duplicates of it, and the starter's default limits of one thread and 256 MB.
 */
final class DuckDbFileDataSource extends AbstractDataSource implements AutoCloseable {

	private final DuckDBConnection root;

	DuckDbFileDataSource(Path file) throws SQLException {
		if (!Files.exists(file)) {
			Properties options = new Properties();
			options.setProperty("storage_compatibility_version", "v1.0.0");
			try (Connection created = DriverManager.getConnection("jdbc:duckdb:" + file, options)) {
				// Opening creates the file
			}
		}
		this.root = DriverManager.getConnection("jdbc:duckdb:" + file).unwrap(DuckDBConnection.class);
		try (Statement statement = this.root.createStatement()) {
			statement.execute("SET GLOBAL threads = 1");
			statement.execute("SET GLOBAL memory_limit = '256MB'");
		}
		catch (SQLException ex) {
			this.root.close();
			throw ex;
		}
	}

	@Override
	public DuckDBConnection getConnection() throws SQLException {
		return this.root.duplicate();
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return getConnection();
	}

	/**
	 * Close the instance, which checkpoints the file, once every connection handed out is
	 * closed too.
	 */
	@Override
	public void close() {
		try {
			this.root.close();
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not close the DuckDB database: " + ex.getMessage(), ex);
		}
	}

}
