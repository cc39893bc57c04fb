package dev.gobstopper.tasks.jdbc;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.gobstopper.tasks.TaskStorageException;
import dev.gobstopper.tasks.support.TaskRow;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates the task table and its indexes where they are missing, adds the columns of
 * today's Gobstopper to a table of the first shape, and refuses a table of another shape
 * before anything in the database is changed.
 */
final class JdbcSchema {

	private static final String COLUMNS_OF = """
			SELECT column_name, data_type FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position""";

	private static final String PRIMARY_KEY_OF = """
			SELECT k.column_name FROM information_schema.table_constraints c
			JOIN information_schema.key_column_usage k
			    ON k.constraint_schema = c.constraint_schema AND k.constraint_name = c.constraint_name
			WHERE c.table_schema = current_schema() AND c.table_name = ? AND c.constraint_type = 'PRIMARY KEY'
			ORDER BY k.ordinal_position""";

	private static final Pattern INDEX_NAME = Pattern.compile("INDEX IF NOT EXISTS \"([^\"]+)\"");

	private static final Log logger = LogFactory.getLog(JdbcSchema.class);

	private final JdbcTemplate jdbc;

	private final Dialect dialect;

	private final JdbcSql sql;

	private final String where;

	/**
	 * @param where where the table is, for messages, such as {@code schema 'public'}
	 */
	JdbcSchema(JdbcTemplate jdbc, Dialect dialect, JdbcSql sql, String where) {
		this.jdbc = jdbc;
		this.dialect = dialect;
		this.sql = sql;
		this.where = where;
	}

	/**
	 * Check the table, and make the changes it needs if asked to: in one transaction that
	 * holds a lock of its own, so that instances starting together change it once.
	 * @param newTransaction runs its work in a transaction of its own
	 * @param initialize whether to create what is missing
	 * @throws TaskStorageException if the table has another shape, or needs changes that
	 * may not be made
	 */
	void prepare(TransactionTemplate newTransaction, boolean initialize) {
		if (!initialize) {
			Changes changes = changes();
			if (!changes.table.isEmpty()) {
				throw new TaskStorageException(changes.reason + " and initialize-schema is 'never'. Run:\n"
						+ ddl(changes.all()));
			}
			if (!changes.indexes.isEmpty()) {
				logger.warn("Table '" + this.sql.table + "' in " + this.where + " lacks indexes that keep the task "
						+ "storage's queries fast. Create them with:\n" + ddl(changes.indexes));
			}
			return;
		}
		newTransaction.executeWithoutResult((status) -> {
			this.jdbc.query(this.dialect.lockForTransaction(), (RowCallbackHandler) (rs) -> {
			}, JdbcSql.lockKey("gobstopper-tasks schema " + this.where + " " + this.sql.table));
			changes().all().forEach(this.jdbc::execute);
		});
	}

	private Changes changes() {
		List<String> columns = new ArrayList<>();
		List<String> types = new ArrayList<>();
		this.jdbc.query(COLUMNS_OF, (RowCallbackHandler) (rs) -> {
			columns.add(rs.getString(1));
			types.add(rs.getString(2));
		}, this.sql.table);
		if (columns.isEmpty()) {
			return new Changes("Table '" + this.sql.table + "' is missing in " + this.where, this.sql.schema.subList(0, 1),
					this.sql.schema.subList(1, this.sql.schema.size()));
		}
		List<String> expectedTypes = this.dialect.columnTypes();
		int seedColumns = TaskRow.SEED_COLUMNS.size();
		List<String> table;
		String reason;
		if (columns.equals(TaskRow.COLUMNS) && types.equals(expectedTypes)) {
			table = List.of();
			reason = "";
		}
		else if (columns.equals(TaskRow.SEED_COLUMNS) && types.equals(expectedTypes.subList(0, seedColumns))) {
			table = this.sql.addLeaseColumns;
			reason = "Table '" + this.sql.table + "' in " + this.where + " lacks the columns " + TaskRow.LEASE_COLUMNS;
		}
		else {
			List<String> described = new ArrayList<>();
			for (int i = 0; i < columns.size(); i++) {
				described.add(columns.get(i) + " " + types.get(i));
			}
			throw new TaskStorageException("Table '" + this.sql.table + "' in " + this.where
					+ " is not a gobstopper-tasks table: its columns are " + described + ", expected the columns "
					+ TaskRow.COLUMNS + " with the types " + expectedTypes
					+ ". Choose another gobstopper.tasks.table-name.");
		}
		List<String> primaryKey = this.jdbc.queryForList(PRIMARY_KEY_OF, String.class, this.sql.table);
		if (!primaryKey.equals(List.of("id"))) {
			throw new TaskStorageException("Table '" + this.sql.table + "' in " + this.where
					+ " has no primary key on id, which gobstopper-tasks needs to save a task by its id");
		}
		return new Changes(reason, table, missingIndexes());
	}

	private List<String> missingIndexes() {
		Set<String> present = new HashSet<>(
				this.jdbc.queryForList(this.dialect.indexNames(), String.class, this.sql.table));
		List<String> missing = new ArrayList<>();
		for (String index : this.sql.schema.subList(1, this.sql.schema.size())) {
			Matcher name = INDEX_NAME.matcher(index);
			if (!name.find() || !present.contains(name.group(1))) {
				missing.add(index);
			}
		}
		return missing;
	}

	private static String ddl(List<String> statements) {
		return String.join(";\n", statements) + ";";
	}

	/**
	 * What the table needs, and why.
	 */
	private record Changes(String reason, List<String> table, List<String> indexes) {

		List<String> all() {
			List<String> all = new ArrayList<>(this.table);
			all.addAll(this.indexes);
			return all;
		}

	}

}
