package dev.gobstopper.tasks.jdbc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.gobstopper.tasks.support.SqlScript;
import dev.gobstopper.tasks.support.TaskArguments;
import dev.gobstopper.tasks.support.TaskRow;

/**
 * The SQL of the storage, formatted once for its table: the statements every supported
 * database understands, and those of the database's {@link Dialect}.
 */
final class JdbcSql {

	static final String COLUMN_LIST = String.join(", ", TaskRow.COLUMNS);

	static final String SUMMARY_COLUMNS = "id, name, category, priority, status, created_at, elapsed_seconds, progress";

	/** Newest first, ties in the order of the ids' code points, as on DuckDB. */
	private static final String NEWEST_FIRST = " ORDER BY created_at DESC, id COLLATE \"C\"";

	final String table;

	/** The table's DDL, then that of its indexes. */
	final List<String> schema;

	final List<String> addLeaseColumns;

	final String selectById;

	final String upsertRows;

	final String insertRowsIfAbsent;

	final String deleteById;

	final String newestByIdempotencyKey;

	final String oldestSummaries;

	final String renewLease;

	final String claimNext;

	final String reclaimExpiredLeases;

	final String deleteCompletedBatch;

	final String statisticsByName;

	final String probe;

	private final String[] pages = new String[4];

	private final String[] summaries = new String[4];

	private final String[] counts = new String[2];

	private final String[] completions = new String[2];

	/**
	 * Create the SQL for the given table.
	 * @param table a plain SQL identifier
	 * @throws IllegalArgumentException if the name is not a plain SQL identifier
	 */
	JdbcSql(Dialect dialect, String table) {
		this.table = TaskArguments.requireTableName(table);
		String quoted = '"' + table + '"';
		this.schema = SqlScript.statements(JdbcSql.class, dialect.schemaScript(), Map.of("table", table));
		this.addLeaseColumns = SqlScript.statements(JdbcSql.class, dialect.addLeaseColumnsScript(),
				Map.of("table", table));
		this.selectById = "SELECT " + COLUMN_LIST + " FROM " + quoted + " WHERE id = ?";
		String replaceEveryColumn = TaskRow.COLUMNS.stream()
			.skip(1)
			.map((column) -> column + " = excluded." + column)
			.collect(Collectors.joining(", "));
		this.upsertRows = dialect.insertRows(quoted, COLUMN_LIST, "DO UPDATE SET " + replaceEveryColumn);
		this.insertRowsIfAbsent = dialect.insertRows(quoted, COLUMN_LIST, "DO NOTHING");
		this.deleteById = "DELETE FROM " + quoted + " WHERE id = ?";
		this.newestByIdempotencyKey = "SELECT " + COLUMN_LIST + " FROM " + quoted + " WHERE idempotency_key = ?"
				+ NEWEST_FIRST + " LIMIT 1";
		this.oldestSummaries = "SELECT " + SUMMARY_COLUMNS + " FROM " + quoted
				+ " WHERE status = ? ORDER BY created_at, id COLLATE \"C\" LIMIT ?";
		this.renewLease = "UPDATE " + quoted + " SET lease_expires_at = ?, last_heartbeat_at = ?"
				+ " WHERE id = ? AND status = 'started' AND lease_owner = ?";
		this.claimNext = dialect.claimNext(quoted, COLUMN_LIST);
		this.reclaimExpiredLeases = dialect.reclaimExpiredLeases(quoted);
		this.deleteCompletedBatch = dialect.deleteCompletedBatch(quoted);
		this.statisticsByName = dialect.statisticsByName(quoted);
		this.probe = "SELECT 1 FROM " + quoted + " LIMIT 1";
		for (int i = 0; i < 4; i++) {
			String where = where((i & 1) != 0, (i & 2) != 0);
			this.pages[i] = "SELECT " + COLUMN_LIST + " FROM " + quoted + where + NEWEST_FIRST + " LIMIT ? OFFSET ?";
			this.summaries[i] = "SELECT " + SUMMARY_COLUMNS + " FROM " + quoted + where + NEWEST_FIRST
					+ " LIMIT ? OFFSET ?";
		}
		for (int i = 0; i < 2; i++) {
			this.counts[i] = "SELECT status, count(*) FROM " + quoted + where(i == 1, false) + " GROUP BY status";
			this.completions[i] = dialect.completionsByBucket(quoted, i == 1);
		}
	}

	/**
	 * Return the query of a page of tasks, newest first. Its parameters are the category
	 * (when filtered), the status (when filtered), then limit and offset.
	 */
	String page(boolean byCategory, boolean byStatus) {
		return this.pages[index(byCategory, byStatus)];
	}

	/**
	 * Return the query of a page of summaries, with the parameters of {@link #page}.
	 */
	String summaries(boolean byCategory, boolean byStatus) {
		return this.summaries[index(byCategory, byStatus)];
	}

	/**
	 * Return the count of tasks per status; its parameter is the category, when filtered.
	 */
	String countByStatus(boolean byCategory) {
		return this.counts[byCategory ? 1 : 0];
	}

	String completions(boolean byCategory) {
		return this.completions[byCategory ? 1 : 0];
	}

	/**
	 * Return the key of the lock that the instance running a scheduled cleanup holds.
	 * @param qualifiedTable the table, with its schema
	 */
	static long cleanupLockKey(String qualifiedTable) {
		return lockKey("gobstopper-tasks cleanup " + qualifiedTable);
	}

	/**
	 * Return a key for an advisory lock, the same in every JVM for the same text.
	 */
	static long lockKey(String text) {
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
			long key = 0;
			for (int i = 0; i < Long.BYTES; i++) {
				key = (key << 8) | (hash[i] & 0xff);
			}
			return key;
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every JVM provides SHA-256", ex);
		}
	}

	private static int index(boolean byCategory, boolean byStatus) {
		return (byCategory ? 1 : 0) | (byStatus ? 2 : 0);
	}

	private static String where(boolean byCategory, boolean byStatus) {
		if (byCategory && byStatus) {
			return " WHERE category = ? AND status = ?";
		}
		if (byCategory) {
			return " WHERE category = ?";
		}
		return byStatus ? " WHERE status = ?" : "";
	}

}
