package dev.gobstopper.tasks.duckdb;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.gobstopper.tasks.TaskStorageException;

/**
 * Creates the task and journal tables where they are missing, and refuses tables of
 * another shape before anything in the database is changed.
 */
final class DuckDbSchema {

	private static final String COLUMNS_OF = """
			SELECT column_name, data_type FROM information_schema.columns
			WHERE table_catalog = current_database() AND table_schema = current_schema() AND lower(table_name) = lower(?)
			ORDER BY ordinal_position""";

	private static final String PRIMARY_KEY_OF = """
			SELECT constraint_column_names FROM duckdb_constraints()
			WHERE database_name = current_database() AND schema_name = current_schema() AND lower(table_name) = lower(?)
			AND constraint_type = 'PRIMARY KEY'""";

	private static final String DATABASE_PATH = """
			SELECT coalesce(path, ':memory:') FROM duckdb_databases() WHERE database_name = current_database()""";

	private DuckDbSchema() {
	}

	/**
	 * Check the tables, and create those missing if asked to.
	 * @param connection a connection to the database
	 * @param sql the storage's SQL
	 * @param createMissing whether to create missing tables
	 * @throws TaskStorageException if a table has another shape, or is missing and may not
	 * be created
	 */
	static void prepare(Connection connection, DuckDbSql sql, boolean createMissing) throws SQLException {
		List<String> taskColumns = describe(DuckDbSql.COLUMNS, DuckDbSql.COLUMN_TYPES);
		List<String> journalColumns = new ArrayList<>(taskColumns);
		journalColumns.add(0, "seq BIGINT");
		List<String> missing = new ArrayList<>();
		if (check(connection, sql.table, taskColumns)) {
			checkPrimaryKey(connection, sql.table);
		}
		else {
			missing.add(sql.createTable);
		}
		if (!check(connection, sql.journal, journalColumns)) {
			missing.add(sql.createJournal);
		}
		if (missing.isEmpty()) {
			return;
		}
		if (!createMissing) {
			throw new TaskStorageException("The database " + path(connection) + " lacks the table(s) for tasks and "
					+ "initialize-schema is 'never'. Create them with:\n" + String.join(";\n", missing) + ";");
		}
		try (Statement statement = connection.createStatement()) {
			statement.execute("BEGIN TRANSACTION");
			for (String ddl : missing) {
				statement.execute(ddl);
			}
			statement.execute("COMMIT");
		}
	}

	/**
	 * Return whether the table exists, after checking that its columns are the expected
	 * ones.
	 */
	private static boolean check(Connection connection, String table, List<String> expected) throws SQLException {
		List<String> actual = new ArrayList<>();
		try (PreparedStatement statement = connection.prepareStatement(COLUMNS_OF)) {
			statement.setString(1, table);
			try (ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					actual.add(rs.getString(1) + " " + rs.getString(2));
				}
			}
		}
		if (actual.isEmpty()) {
			return false;
		}
		if (!actual.equals(expected)) {
			throw new TaskStorageException("Table '" + table + "' in " + path(connection)
					+ " is not a gobstopper-tasks table: its columns are " + actual + ", expected " + expected
					+ ". Point gobstopper.tasks.db-path to another file or choose another gobstopper.tasks.table-name.");
		}
		return true;
	}

	private static void checkPrimaryKey(Connection connection, String table) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(PRIMARY_KEY_OF)) {
			statement.setString(1, table);
			try (ResultSet rs = statement.executeQuery()) {
				if (rs.next()) {
					Array columns = rs.getArray(1);
					if (Arrays.asList((Object[]) columns.getArray()).equals(List.of("id"))) {
						return;
					}
				}
			}
		}
		throw new TaskStorageException("Table '" + table + "' in " + path(connection)
				+ " has no primary key on id, which gobstopper-tasks needs to save a task by its id");
	}

	private static List<String> describe(List<String> names, List<String> types) {
		List<String> columns = new ArrayList<>();
		for (int i = 0; i < names.size(); i++) {
			columns.add(names.get(i) + " " + types.get(i));
		}
		return columns;
	}

	private static String path(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(DATABASE_PATH)) {
			return rs.next() ? rs.getString(1) : "(unknown)";
		}
	}

}
