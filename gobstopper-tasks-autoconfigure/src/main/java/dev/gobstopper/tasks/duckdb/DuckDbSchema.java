package dev.gobstopper.tasks.duckdb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.gobstopper.tasks.TaskStorageException;
import dev.gobstopper.tasks.support.TaskRow;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Creates the task and journal tables where they are missing, adds the columns of today's
 * Gobstopper to tables of the first shape, and refuses tables of another shape before
 * anything in the database is changed.
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
	 * Check the tables, and create those missing or add the columns they lack if asked to.
	 * @param jdbc a template on a connection to the database
	 * @param sql the storage's SQL
	 * @param initialize whether to create missing tables and add missing columns
	 * @throws TaskStorageException if a table has another shape, or needs changes that may
	 * not be made
	 */
	static void prepare(JdbcTemplate jdbc, DuckDbSql sql, boolean initialize) {
		List<String> taskColumns = describe(DuckDbSql.COLUMNS, DuckDbSql.COLUMN_TYPES);
		List<String> journalColumns = new ArrayList<>(taskColumns);
		journalColumns.add(0, "seq BIGINT");
		List<String> changes = new ArrayList<>();
		changes.addAll(changesFor(jdbc, sql.table, taskColumns, upstreamLayout(taskColumns), sql.createTable,
				sql.addLeaseColumnsToTable));
		if (changes.contains(sql.createTable)) {
			changes.add(sql.createIdempotencyIndex);
		}
		else {
			checkPrimaryKey(jdbc, sql.table);
		}
		changes.addAll(changesFor(jdbc, sql.journal, journalColumns, journalColumns, sql.createJournal,
				sql.addLeaseColumnsToJournal));
		if (changes.isEmpty()) {
			return;
		}
		if (!initialize) {
			throw new TaskStorageException("The database " + path(jdbc) + " lacks tables or columns for tasks "
					+ "and initialize-schema is 'never'. Create them with:\n" + String.join(";\n", changes) + ";");
		}
		jdbc.execute("BEGIN TRANSACTION");
		try {
			changes.forEach(jdbc::execute);
			jdbc.execute("COMMIT");
		}
		catch (DataAccessException ex) {
			try {
				jdbc.execute("ROLLBACK");
			}
			catch (DataAccessException rollbackFailure) {
				ex.addSuppressed(rollbackFailure);
			}
			throw ex;
		}
	}

	/**
	 * Return the columns in the order of a table that today's Gobstopper creates: the
	 * lease columns between {@code max_retries} and {@code args}.
	 */
	private static List<String> upstreamLayout(List<String> ours) {
		int seed = TaskRow.SEED_COLUMNS.size();
		int args = TaskRow.SEED_COLUMNS.indexOf("args");
		List<String> upstream = new ArrayList<>(ours.subList(0, args));
		upstream.addAll(ours.subList(seed, ours.size()));
		upstream.addAll(ours.subList(args, seed));
		return upstream;
	}

	/**
	 * Return what a table needs: to be created if it is missing, its lease columns if it
	 * has the first shape, nothing if it has every column in our order or in the other
	 * order given. A table of any other shape is refused.
	 */
	private static List<String> changesFor(JdbcTemplate jdbc, String table, List<String> expected,
			List<String> alsoComplete, String create, List<String> addLeaseColumns) {
		List<String> actual = jdbc.query(COLUMNS_OF, (rs, row) -> rs.getString(1) + " " + rs.getString(2), table);
		if (actual.isEmpty()) {
			return List.of(create);
		}
		if (actual.equals(expected) || actual.equals(alsoComplete)) {
			return List.of();
		}
		if (actual.equals(expected.subList(0, expected.size() - TaskRow.LEASE_COLUMNS.size()))) {
			return addLeaseColumns;
		}
		throw new TaskStorageException("Table '" + table + "' in " + path(jdbc)
				+ " is not a gobstopper-tasks table: its columns are " + actual + ", expected " + expected
				+ ". Point gobstopper.tasks.db-path to another file or choose another gobstopper.tasks.table-name.");
	}

	private static void checkPrimaryKey(JdbcTemplate jdbc, String table) {
		List<List<Object>> keys = jdbc.query(PRIMARY_KEY_OF,
				(rs, row) -> Arrays.asList((Object[]) rs.getArray(1).getArray()), table);
		if (keys.contains(List.of("id"))) {
			return;
		}
		throw new TaskStorageException("Table '" + table + "' in " + path(jdbc)
				+ " has no primary key on id, which gobstopper-tasks needs to save a task by its id");
	}

	private static List<String> describe(List<String> names, List<String> types) {
		List<String> columns = new ArrayList<>();
		for (int i = 0; i < names.size(); i++) {
			columns.add(names.get(i) + " " + types.get(i));
		}
		return columns;
	}

	/**
	 * Return the path of the database file, or {@code :memory:}.
	 */
	static String path(JdbcTemplate jdbc) {
		List<String> paths = jdbc.queryForList(DATABASE_PATH, String.class);
		return paths.isEmpty() ? "(unknown)" : paths.get(0);
	}

}
