package dev.gobstopper.tasks.duckdb;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.support.SqlScript;
import dev.gobstopper.tasks.support.TaskArguments;
import dev.gobstopper.tasks.support.TaskRow;
import org.jspecify.annotations.Nullable;

/**
 * The SQL of the storage, formatted once for its table.
 * <p>
 * Saves are appended to a journal table beside the task table and merged into it in the
 * background; see {@link DuckDbTaskStorage}. The tables are defined in
 * {@code schema-duckdb.sql}.
 */
final class DuckDbSql {

	static final List<String> COLUMNS = TaskRow.COLUMNS;

	/** The column types as DuckDB reports them, in the order of {@link #COLUMNS}. */
	static final List<String> COLUMN_TYPES = List.of("VARCHAR", "VARCHAR", "VARCHAR", "INTEGER", "VARCHAR",
			"TIMESTAMP", "TIMESTAMP", "TIMESTAMP", "DOUBLE", "JSON", "VARCHAR", "INTEGER", "INTEGER", "JSON", "JSON",
			"DOUBLE", "VARCHAR", "INTEGER", "INTEGER", "VARCHAR", "TIMESTAMP", "TIMESTAMP", "VARCHAR", "TIMESTAMP",
			"TIMESTAMP", "TIMESTAMP");

	private static final String TERMINAL_STATUSES = Arrays.stream(TaskStatus.values())
		.filter(TaskStatus::isTerminal)
		.map((status) -> "'" + status.value() + "'")
		.collect(Collectors.joining(", ", "(", ")"));

	private static final String COLUMN_LIST = String.join(", ", COLUMNS);

	/** The columns of a {@code TaskSummary}. */
	static final String SUMMARY_COLUMNS = "id, name, category, priority, status, created_at, elapsed_seconds, progress";

	private static final String CLAIMABLE = "status IN ('pending', 'retry')";

	private static final String READY = "coalesce(next_attempt_at <= ?, true) AND coalesce(not_before <= ?, true) "
			+ "AND coalesce(lease_expires_at <= ?, true)";

	/** The order of claims; {@code ClaimQueues} sorts rows the same way. */
	private static final String CLAIM_ORDER = "coalesce(next_attempt_at, not_before, created_at), priority DESC, "
			+ "created_at, id";

	private static final String LATEST_JOURNAL_ROWS = "QUALIFY row_number() OVER (PARTITION BY id ORDER BY seq DESC) = 1";

	final String table;

	final String journal;

	final String createTable;

	final String createIdempotencyIndex;

	final String createJournal;

	final List<String> addLeaseColumnsToTable;

	final List<String> addLeaseColumnsToJournal;

	final String selectById;

	final String maxJournalSeq;

	final String deleteReplacedRows;

	final String insertLatestJournalRows;

	final String deleteMergedJournal;

	final String deleteJournalById;

	final String selectJournalById;

	final String deleteById;

	final String countExpired;

	final String deleteExpiredChunk;

	final String countAll;

	final String countJournal;

	final String columnDefinitions;

	final String copyUnexpiredToRebuild;

	final String addRebuildPrimaryKey;

	final String countRebuildTables;

	final String dropRebuildIfExists;

	final String countRebuild;

	final String journalIdsUpTo;

	final String createChangedIds;

	final String changedIds;

	final String deleteChangedFromRebuild;

	final String copyChangedToRebuild;

	final String dropTable;

	final String renameRebuild;

	final String indexDefinitions;

	final String byIdempotencyKey;

	final String latestById;

	final String claimCandidates;

	final String nextReadyTime;

	final String expiredLeases;

	private final String rebuild;

	private final String[] pages = new String[8];

	private final String[] summaryPages = new String[8];

	private final String[] oldest = new String[2];

	private final String[] counts = new String[4];

	private final String[] statistics = new String[2];

	private final String[] completions = new String[4];

	/**
	 * Create the SQL for the given table.
	 * @param table a plain SQL identifier
	 * @throws IllegalArgumentException if the name is not a plain SQL identifier
	 */
	DuckDbSql(String table) {
		this.table = TaskArguments.requireTableName(table);
		this.journal = table + "_journal";
		String quotedTable = quote(this.table);
		String quotedJournal = quote(this.journal);
		List<String> schema = SqlScript.statements(DuckDbSql.class, "schema-duckdb.sql",
				Map.of("table", this.table, "journal", this.journal));
		this.createTable = schema.get(0);
		this.createIdempotencyIndex = schema.get(1);
		this.createJournal = schema.get(2);
		this.addLeaseColumnsToTable = SqlScript.statements(DuckDbSql.class, "add-lease-columns-duckdb.sql",
				Map.of("table", this.table));
		this.addLeaseColumnsToJournal = SqlScript.statements(DuckDbSql.class, "add-lease-columns-duckdb.sql",
				Map.of("table", this.journal));
		this.selectById = "SELECT " + COLUMN_LIST + " FROM " + quotedTable + " WHERE id = ?";
		this.maxJournalSeq = "SELECT coalesce(max(seq), 0) FROM " + quotedJournal;
		// A merge deletes and re-inserts the rows it replaces: DuckDB updates a row column by
		// column, which costs several times more than a delete and an insert.
		this.deleteReplacedRows = "DELETE FROM " + quotedTable + " WHERE id IN (SELECT id FROM " + quotedJournal
				+ " WHERE seq <= ?)";
		// In creation order, so that DuckDB's zone maps keep pages of the newest tasks cheap
		this.insertLatestJournalRows = "INSERT INTO " + quotedTable + " (" + COLUMN_LIST + ") SELECT " + COLUMN_LIST
				+ " FROM " + quotedJournal + " WHERE seq <= ? " + LATEST_JOURNAL_ROWS + " ORDER BY created_at";
		this.deleteMergedJournal = "DELETE FROM " + quotedJournal + " WHERE seq <= ?";
		this.deleteJournalById = "DELETE FROM " + quotedJournal + " WHERE id = ? AND seq <= ? RETURNING seq";
		this.selectJournalById = "SELECT " + COLUMN_LIST + " FROM " + quotedJournal
				+ " WHERE id = ? ORDER BY seq DESC LIMIT 1";
		this.deleteById = "DELETE FROM " + quotedTable + " WHERE id = ?";
		String expired = " WHERE status IN " + TERMINAL_STATUSES + " AND completed_at < ?";
		String unexpired = " WHERE NOT coalesce(status IN " + TERMINAL_STATUSES + " AND completed_at < ?, false)";
		this.countExpired = "SELECT count(*) FROM " + quotedTable + expired;
		this.deleteExpiredChunk = "DELETE FROM " + quotedTable + " WHERE id IN (SELECT id FROM " + quotedTable
				+ expired + " LIMIT ?)";
		this.countAll = "SELECT count(*) FROM " + quotedTable;
		String rebuild = table + "_rebuild";
		this.rebuild = quote(rebuild);
		this.countRebuildTables = "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
				+ "AND schema_name = current_schema() AND table_name = '" + rebuild + "'";
		this.dropRebuildIfExists = "DROP TABLE IF EXISTS " + this.rebuild;
		this.countRebuild = "SELECT count(*) FROM " + this.rebuild;
		this.countJournal = "SELECT count(*) FROM " + quotedJournal;
		this.journalIdsUpTo = "SELECT DISTINCT id FROM " + quotedJournal + " WHERE seq <= ?";
		// A temporary table of the connection that rebuilds: the ids of the tasks that merges
		// and deletes changed since the rebuild's copy was taken
		this.changedIds = table + "_rebuild_changes";
		String quotedChangedIds = "temp.main." + quote(this.changedIds);
		this.createChangedIds = "CREATE OR REPLACE TEMP TABLE " + quote(this.changedIds) + " (id VARCHAR)";
		this.deleteChangedFromRebuild = "DELETE FROM " + this.rebuild + " WHERE id IN (SELECT id FROM "
				+ quotedChangedIds + ")";
		this.copyChangedToRebuild = "INSERT INTO " + this.rebuild + " (" + COLUMN_LIST + ") SELECT " + COLUMN_LIST
				+ " FROM " + quotedTable + unexpired + " AND id IN (SELECT id FROM " + quotedChangedIds + ")";
		this.columnDefinitions = "SELECT column_name, data_type, column_default, is_nullable FROM duckdb_columns() "
				+ "WHERE database_name = current_database() AND schema_name = current_schema() "
				+ "AND lower(table_name) = lower(?) ORDER BY column_index";
		// The key is added after the copy: building the index at once beats growing it row by row
		this.addRebuildPrimaryKey = "ALTER TABLE " + quote(rebuild) + " ADD PRIMARY KEY (id)";
		this.copyUnexpiredToRebuild = "INSERT INTO " + quote(rebuild) + " (" + COLUMN_LIST + ") SELECT " + COLUMN_LIST
				+ " FROM " + quotedTable + unexpired;
		this.dropTable = "DROP TABLE " + quotedTable;
		this.renameRebuild = "ALTER TABLE " + quote(rebuild) + " RENAME TO " + quotedTable;
		this.indexDefinitions = "SELECT sql FROM duckdb_indexes() WHERE database_name = current_database() "
				+ "AND schema_name = current_schema() AND lower(table_name) = lower(?) AND sql IS NOT NULL";
		for (int i = 0; i < this.pages.length; i++) {
			this.pages[i] = buildPage((i & 1) != 0, (i & 2) != 0, (i & 4) != 0);
		}
		String all = tasks(COLUMN_LIST, true);
		this.byIdempotencyKey = "SELECT " + COLUMN_LIST + " FROM " + all
				+ " WHERE idempotency_key = ? ORDER BY created_at DESC, id";
		this.latestById = "SELECT " + COLUMN_LIST + " FROM " + all + " WHERE id = ?";
		this.claimCandidates = "SELECT " + COLUMN_LIST + " FROM " + all + " WHERE category = ? AND " + CLAIMABLE
				+ " AND " + READY + " ORDER BY " + CLAIM_ORDER + " LIMIT ?";
		// DuckDB's greatest ignores nulls
		this.nextReadyTime = "SELECT min(greatest(next_attempt_at, not_before, lease_expires_at)) FROM "
				+ tasks("next_attempt_at, not_before, lease_expires_at, category, status", true)
				+ " WHERE category = ? AND " + CLAIMABLE + " AND NOT (" + READY + ")";
		this.expiredLeases = "SELECT " + COLUMN_LIST + " FROM " + all
				+ " WHERE status = 'started' AND lease_expires_at < ? ORDER BY lease_expires_at, id LIMIT ?";
		for (int i = 0; i < 8; i++) {
			boolean byCategory = (i & 1) != 0;
			boolean byStatus = (i & 2) != 0;
			boolean withJournal = (i & 4) != 0;
			this.summaryPages[i] = "SELECT " + SUMMARY_COLUMNS + " FROM "
					+ tasks(SUMMARY_COLUMNS, withJournal) + where(filters(byCategory, byStatus))
					+ " ORDER BY created_at DESC, id LIMIT ? OFFSET ?";
		}
		for (int i = 0; i < 2; i++) {
			this.oldest[i] = "SELECT " + SUMMARY_COLUMNS + " FROM " + tasks(SUMMARY_COLUMNS, i == 1)
					+ " WHERE status = ? ORDER BY created_at, id LIMIT ?";
			this.statistics[i] = "SELECT name, category, count(*) AS total, "
					+ "count(*) FILTER (WHERE status = 'success') AS succeeded, "
					+ "count(*) FILTER (WHERE status = 'failed') AS failed, "
					+ "count(*) FILTER (WHERE status = 'cancelled') AS cancelled, "
					+ "quantile_cont(coalesce(elapsed_seconds, 0), [0.5, 0.95, 0.99]) "
					+ "FILTER (WHERE status IN " + TERMINAL_STATUSES + ") AS quantiles, "
					+ "max(coalesce(elapsed_seconds, 0)) FILTER (WHERE status IN " + TERMINAL_STATUSES + ") AS longest, "
					+ "CAST(sum(coalesce(retry_count, 0)) AS BIGINT) AS retries FROM "
					+ tasks("name, category, status, created_at, elapsed_seconds, retry_count", i == 1)
					+ " WHERE created_at >= ? GROUP BY name, category ORDER BY total DESC, name, category";
		}
		for (int i = 0; i < 4; i++) {
			boolean byCategory = (i & 1) != 0;
			boolean withJournal = (i & 2) != 0;
			this.counts[i] = "SELECT status, count(*) FROM " + tasks("category, status", withJournal)
					+ where(filters(byCategory, false)) + " GROUP BY status";
			// Integer division that rounds down, also before the epoch
			this.completions[i] = "SELECT bucket, count(*) FILTER (WHERE status = 'success'), "
					+ "count(*) FILTER (WHERE status = 'failed'), count(*) FILTER (WHERE status = 'cancelled') "
					+ "FROM (SELECT status, CASE WHEN us >= 0 THEN us // ? ELSE -((-us - 1) // ?) - 1 END AS bucket "
					+ "FROM (SELECT status, epoch_us(completed_at) AS us FROM "
					+ tasks("category, status, completed_at", withJournal) + " WHERE status IN " + TERMINAL_STATUSES
					+ " AND completed_at >= ? AND completed_at < ?" + (byCategory ? " AND category = ?" : "")
					+ ")) GROUP BY bucket";
		}
	}

	/**
	 * Return the statement that creates the table a cleanup copies the remaining tasks
	 * into: the task table's columns, in its order, with their types, defaults and NOT
	 * NULLs, and no key yet.
	 * @param columns each column's definition, such as {@code "priority" INTEGER NOT NULL}
	 * @return the statement
	 */
	String createRebuild(List<String> columns) {
		return "CREATE TABLE " + this.rebuild + " (" + String.join(", ", columns) + ")";
	}

	/**
	 * Return the definition of a column of a table, as {@code duckdb_columns()} describes
	 * it.
	 */
	static String columnDefinition(String name, String type, @Nullable String defaultValue, boolean nullable) {
		return quote(name) + " " + type + ((defaultValue != null) ? " DEFAULT " + defaultValue : "")
				+ (nullable ? "" : " NOT NULL");
	}

	/**
	 * Return the query for one page of summaries, newest first, with the parameters of
	 * {@link #page}, the filters given once.
	 */
	String summaryPage(boolean byCategory, boolean byStatus, boolean withJournal) {
		return this.summaryPages[(byCategory ? 1 : 0) | (byStatus ? 2 : 0) | (withJournal ? 4 : 0)];
	}

	/**
	 * Return the query for the oldest summaries of a status; its parameters are the status
	 * and the limit.
	 */
	String oldest(boolean withJournal) {
		return this.oldest[withJournal ? 1 : 0];
	}

	/**
	 * Return the query counting tasks per status; its parameter is the category, when
	 * filtered.
	 */
	String counts(boolean byCategory, boolean withJournal) {
		return this.counts[(byCategory ? 1 : 0) | (withJournal ? 2 : 0)];
	}

	/**
	 * Return the query of the statistics per name and category; its parameter is the
	 * earliest creation time.
	 */
	String statistics(boolean withJournal) {
		return this.statistics[withJournal ? 1 : 0];
	}

	/**
	 * Return the query counting finished tasks per bucket of completion time; its
	 * parameters are the bucket length in microseconds (twice), the start and end of the
	 * range, and the category when filtered.
	 */
	String completions(boolean byCategory, boolean withJournal) {
		return this.completions[(byCategory ? 1 : 0) | (withJournal ? 2 : 0)];
	}

	/**
	 * Return the tasks as the given columns: the task table, or with the journal, the
	 * latest journal row of each task in it and the table's rows of the others.
	 */
	private String tasks(String columns, boolean withJournal) {
		if (!withJournal) {
			return quote(this.table);
		}
		return "(SELECT " + columns + " FROM " + quote(this.journal) + " " + LATEST_JOURNAL_ROWS + " UNION ALL SELECT "
				+ columns + " FROM " + quote(this.table) + " t WHERE NOT EXISTS (SELECT 1 FROM " + quote(this.journal)
				+ " j WHERE j.id = t.id))";
	}

	/**
	 * Return the query for one page of tasks, newest first. Its parameters are the category
	 * (when filtered), the status (when filtered), then limit and offset. When the journal
	 * holds rows not yet merged, they come after the same filters and a limit for the
	 * table's part: the sum of offset, limit and the {@link #countJournal journal's rows},
	 * counted in the same transaction.
	 * @param byCategory whether to filter by category
	 * @param byStatus whether to filter by status
	 * @param withJournal whether to read rows not yet merged from the journal
	 * @return the query
	 */
	String page(boolean byCategory, boolean byStatus, boolean withJournal) {
		return this.pages[(byCategory ? 1 : 0) | (byStatus ? 2 : 0) | (withJournal ? 4 : 0)];
	}

	private String buildPage(boolean byCategory, boolean byStatus, boolean withJournal) {
		String filters = filters(byCategory, byStatus);
		String order = " ORDER BY created_at DESC, id LIMIT ? OFFSET ?";
		if (!withJournal) {
			return "SELECT " + COLUMN_LIST + " FROM " + quote(this.table) + where(filters) + order;
		}
		// A page of the union holds no more of the table's rows than its offset and limit,
		// and the journal replaces at most as many as it holds: the table's part needs no
		// more rows than that sum, given as a constant, so that DuckDB reads it as a top-N
		String tablePage = "SELECT " + COLUMN_LIST + " FROM " + quote(this.table) + where(filters)
				+ " ORDER BY created_at DESC, id LIMIT ?";
		return "WITH latest AS (SELECT " + COLUMN_LIST + " FROM " + quote(this.journal) + " " + LATEST_JOURNAL_ROWS
				+ "), table_page AS (" + tablePage + ") SELECT " + COLUMN_LIST + " FROM latest" + where(filters)
				+ " UNION ALL SELECT " + COLUMN_LIST + " FROM table_page t WHERE NOT EXISTS (SELECT 1 FROM latest j"
				+ " WHERE j.id = t.id)" + order;
	}

	private static String filters(boolean byCategory, boolean byStatus) {
		if (byCategory && byStatus) {
			return "category = ? AND status = ?";
		}
		if (byCategory) {
			return "category = ?";
		}
		return byStatus ? "status = ?" : "";
	}

	private static String where(String filters) {
		return filters.isEmpty() ? "" : " WHERE " + filters;
	}

	private static String quote(String identifier) {
		return '"' + identifier + '"';
	}

}
