package dev.gobstopper.tasks.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The local PostgreSQL that the PostgreSQL stores run on: its connection pools, its
 * version and settings, and the tables of a run.
 */
final class Postgres {

	/** The environment variable that overrides {@link #DEFAULT_URL}, as in the tests. */
	static final String URL_VARIABLE = "GOBSTOPPER_TEST_POSTGRES_URL";

	static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

	/** HikariCP's default size, which Spring Boot keeps. */
	static final int POOL_SIZE = 10;

	private static final String START_COMMAND = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main "
			+ "start";

	private Postgres() {
	}

	/**
	 * Return the URL of the PostgreSQL to use unless told otherwise.
	 */
	static String defaultUrl() {
		String url = System.getenv(URL_VARIABLE);
		return (url != null && !url.isBlank()) ? url : DEFAULT_URL;
	}

	/**
	 * Open a HikariCP pool of {@link #POOL_SIZE} connections.
	 * @param url the JDBC URL
	 * @param rewriteBatchedInserts whether the driver sends a batch of inserts as
	 * multi-row inserts
	 * @throws IllegalStateException if PostgreSQL cannot be reached
	 */
	static HikariDataSource pool(String url, boolean rewriteBatchedInserts) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(url);
		config.setMaximumPoolSize(POOL_SIZE);
		if (rewriteBatchedInserts) {
			config.addDataSourceProperty("reWriteBatchedInserts", "true");
		}
		try {
			return new HikariDataSource(config);
		}
		catch (RuntimeException ex) {
			throw unreachable(url, ex);
		}
	}

	/**
	 * Return the server's version and the settings that decide what a commit costs.
	 */
	static String engine(DataSource dataSource) throws SQLException {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			// Debian's builds add the package version after a space
			String version = setting(statement, "server_version").split(" ")[0];
			return "PostgreSQL " + version + " (synchronous_commit="
					+ setting(statement, "synchronous_commit") + ", fsync=" + setting(statement, "fsync")
					+ ", shared_buffers=" + setting(statement, "shared_buffers") + ")";
		}
	}

	private static String setting(Statement statement, String name) throws SQLException {
		try (ResultSet rs = statement.executeQuery("SHOW " + name)) {
			rs.next();
			return rs.getString(1);
		}
	}

	/**
	 * Run {@code SELECT 1} on a connection of the pool: one round trip.
	 */
	static void selectOne(DataSource dataSource) {
		try (Connection connection = dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement("SELECT 1");
				ResultSet rs = statement.executeQuery()) {
			rs.next();
		}
		catch (SQLException ex) {
			throw new IllegalStateException("SELECT 1 failed: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Vacuum and analyze the tables whose names start with the prefix, as autovacuum would
	 * have done to tables that filled over months.
	 */
	static void vacuumAnalyze(DataSource dataSource, String prefix) {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			for (String table : tables(connection, prefix)) {
				statement.execute("VACUUM ANALYZE \"" + table + "\"");
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("VACUUM ANALYZE failed: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Drop the tables whose names start with the prefix.
	 * @throws IllegalStateException if PostgreSQL cannot be reached
	 */
	static void dropTables(String url, String prefix) throws SQLException {
		Connection connection;
		try {
			connection = DriverManager.getConnection(url);
		}
		catch (SQLException ex) {
			throw unreachable(url, ex);
		}
		try (connection; Statement statement = connection.createStatement()) {
			for (String table : tables(connection, prefix)) {
				statement.execute("DROP TABLE IF EXISTS \"" + table + "\" CASCADE");
			}
		}
	}

	private static List<String> tables(Connection connection, String prefix) throws SQLException {
		List<String> tables = new ArrayList<>();
		try (PreparedStatement statement = connection.prepareStatement("SELECT tablename FROM pg_tables "
				+ "WHERE schemaname = current_schema() AND tablename LIKE ? ESCAPE '\\'")) {
			statement.setString(1, prefix.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%") + "%");
			try (ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					tables.add(rs.getString(1));
				}
			}
		}
		return tables;
	}

	private static IllegalStateException unreachable(String url, Exception ex) {
		return new IllegalStateException("PostgreSQL is not reachable at " + url + " (" + ex.getMessage()
				+ "); start the local server with: " + START_COMMAND, ex);
	}

}
