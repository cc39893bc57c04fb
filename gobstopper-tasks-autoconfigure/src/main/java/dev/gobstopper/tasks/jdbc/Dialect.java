package dev.gobstopper.tasks.jdbc;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/**
 * A database the shared storage supports, recognized from its JDBC metadata, with what is
 * its own: the schema scripts, the column types it reports, and the statements that rely
 * on its features (upserts of many rows, row locks that skip locked rows, advisory locks,
 * percentiles). Every other statement is in {@link JdbcSql}.
 */
enum Dialect {

	POSTGRESQL("PostgreSQL", 13, "postgresql") {

		@Override
		List<String> columnTypes() {
			return List.of("character varying", "character varying", "character varying", "integer",
					"character varying", "timestamp with time zone", "timestamp with time zone",
					"timestamp with time zone", "double precision", "json", "text", "integer", "integer", "json",
					"json", "double precision", "character varying", "integer", "integer", "character varying",
					"timestamp with time zone", "timestamp with time zone", "character varying",
					"timestamp with time zone", "timestamp with time zone", "timestamp with time zone");
		}

		@Override
		String indexNames() {
			return "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ?";
		}

		@Override
		String insertRows(String table, String columns, String conflict) {
			// One array per column, unnested into rows: one statement, whatever the number of rows
			return "INSERT INTO " + table + " (" + columns + ") SELECT * FROM unnest(?::varchar[], ?::varchar[], "
					+ "?::varchar[], ?::integer[], ?::varchar[], ?::timestamptz[], ?::timestamptz[], ?::timestamptz[], "
					+ "?::float8[], ?::json[], ?::text[], ?::integer[], ?::integer[], ?::json[], ?::json[], "
					+ "?::float8[], ?::varchar[], ?::integer[], ?::integer[], ?::varchar[], ?::timestamptz[], "
					+ "?::timestamptz[], ?::varchar[], ?::timestamptz[], ?::timestamptz[], ?::timestamptz[]) "
					+ "ON CONFLICT (id) " + conflict;
		}

		@Override
		List<String> stageRows(String table, String stage, String columns, String update) {
			// A temporary table of the session, emptied by each commit of a transaction that used it
			String temporary = "pg_temp.\"" + stage + "\"";
			return List.of("CREATE TEMP TABLE IF NOT EXISTS " + temporary + " (LIKE " + table + ") ON COMMIT DELETE ROWS",
					"COPY " + temporary + " (" + columns + ") FROM STDIN",
					"INSERT INTO " + table + " (" + columns + ") SELECT " + columns + " FROM " + temporary
							+ " ON CONFLICT (id) " + update);
		}

		@Override
		String claimNext(String table, String columns) {
			// An attempt count at its maximum stays there, as on DuckDB, rather than overflow
			return """
					UPDATE %1$s SET status = 'started', attempt = least(coalesce(attempt, 0), 2147483646) + 1,
					    lease_owner = :worker, lease_expires_at = :leaseExpiresAt, claimed_at = coalesce(claimed_at, :now),
					    last_heartbeat_at = :now, started_at = :now, next_attempt_at = NULL
					WHERE id = (SELECT id FROM %1$s WHERE category = :category AND status IN ('pending', 'retry')
					    AND (next_attempt_at IS NULL OR next_attempt_at <= :now) AND (not_before IS NULL OR not_before <= :now)
					    AND (lease_expires_at IS NULL OR lease_expires_at <= :now)
					    ORDER BY coalesce(next_attempt_at, not_before, created_at), priority DESC, created_at
					    LIMIT 1 FOR UPDATE SKIP LOCKED)
					RETURNING %2$s""".formatted(table, columns);
		}

		@Override
		String reclaimExpiredLeases(String table) {
			return """
					UPDATE %1$s SET status = 'retry', lease_owner = NULL, lease_expires_at = NULL, last_heartbeat_at = NULL,
					    next_attempt_at = :now
					WHERE id = ANY (ARRAY(SELECT id FROM %1$s WHERE status = 'started' AND lease_expires_at < :now
					    ORDER BY lease_expires_at LIMIT :limit FOR UPDATE SKIP LOCKED))""".formatted(table);
		}

		@Override
		String deleteCompletedBatch(String table) {
			// Rows found again by their physical address: several times faster than by id,
			// which looks each one up in the primary key. Not locked first: locking doubles
			// the writes, and a row another transaction holds is waited for, then skipped
			// if it is gone or changed.
			return """
					DELETE FROM %1$s WHERE ctid = ANY (ARRAY(SELECT ctid FROM %1$s
					    WHERE status IN ('success', 'failed', 'cancelled') AND completed_at < :cutoff LIMIT :batch))
					AND status IN ('success', 'failed', 'cancelled') AND completed_at < :cutoff""".formatted(table);
		}

		@Override
		String statisticsByName(String table) {
			// Every status named, so that the status index finds the time range
			return """
					SELECT name, category, count(*) AS total,
					    count(*) FILTER (WHERE status = 'success') AS succeeded,
					    count(*) FILTER (WHERE status = 'failed') AS failed,
					    count(*) FILTER (WHERE status = 'cancelled') AS cancelled,
					    percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY coalesce(elapsed_seconds, 0))
					        FILTER (WHERE status IN ('success', 'failed', 'cancelled')) AS quantiles,
					    max(coalesce(elapsed_seconds, 0)) FILTER (WHERE status IN ('success', 'failed', 'cancelled')) AS longest,
					    sum(coalesce(retry_count, 0)) AS retries
					FROM %s WHERE status IN ('pending', 'started', 'success', 'failed', 'cancelled', 'retry')
					    AND created_at >= :since
					GROUP BY name, category
					ORDER BY total DESC, name COLLATE "C", category COLLATE "C\"""".formatted(table);
		}

		@Override
		String completionsByBucket(String table, boolean byCategory) {
			// Microseconds since the epoch, exact also where extract() returns a double (before 14)
			return """
					SELECT (completed_micros - :origin) / :bucket AS bucket,
					    count(*) FILTER (WHERE status = 'success') AS succeeded,
					    count(*) FILTER (WHERE status = 'failed') AS failed,
					    count(*) FILTER (WHERE status = 'cancelled') AS cancelled
					FROM (SELECT status, extract(epoch FROM date_trunc('second', completed_at))::bigint * 1000000
					        + extract(microseconds FROM completed_at)::bigint %% 1000000 AS completed_micros
					    FROM %s WHERE status IN ('success', 'failed', 'cancelled')
					    AND completed_at >= :since AND completed_at < :until%s) finished
					GROUP BY 1""".formatted(table, byCategory ? " AND category = :category" : "");
		}

		@Override
		String tryLock() {
			return "SELECT pg_try_advisory_lock(?)";
		}

		@Override
		String unlock() {
			return "SELECT pg_advisory_unlock(?)";
		}

		@Override
		String lockForTransaction() {
			return "SELECT pg_advisory_xact_lock(?)";
		}

	};

	private final String productName;

	private final int oldestMajorVersion;

	private final String scriptSuffix;

	Dialect(String productName, int oldestMajorVersion, String scriptSuffix) {
		this.productName = productName;
		this.oldestMajorVersion = oldestMajorVersion;
		this.scriptSuffix = scriptSuffix;
	}

	/**
	 * Return the dialect of the database a connection reaches.
	 * @throws UnsupportedDatabaseException if no dialect supports that database
	 */
	static Dialect of(DatabaseMetaData metaData) throws SQLException {
		String product = metaData.getDatabaseProductName();
		int majorVersion = metaData.getDatabaseMajorVersion();
		for (Dialect dialect : values()) {
			if (dialect.productName.equals(product) && majorVersion >= dialect.oldestMajorVersion) {
				return dialect;
			}
		}
		throw new UnsupportedDatabaseException(product, metaData.getDatabaseProductVersion(),
				Arrays.stream(values()).map(Dialect::describe).toList());
	}

	/**
	 * Return the schema script: the table, then its indexes.
	 */
	String schemaScript() {
		return "schema-" + this.scriptSuffix + ".sql";
	}

	/**
	 * Return the script that adds the columns of today's Gobstopper to a table of the first
	 * shape.
	 */
	String addLeaseColumnsScript() {
		return "add-lease-columns-" + this.scriptSuffix + ".sql";
	}

	private String describe() {
		return this.productName + " " + this.oldestMajorVersion + " or later";
	}

	/**
	 * Return the types of the columns as {@code information_schema.columns} reports them,
	 * in the order of {@link dev.gobstopper.tasks.support.TaskRow#COLUMNS}.
	 */
	abstract List<String> columnTypes();

	/**
	 * Return the query for the names of a table's indexes; its parameter is the table.
	 */
	abstract String indexNames();

	/**
	 * Return the insert of many rows, one array per column, in the order of the columns.
	 * @param conflict what to do when the id is taken, after {@code ON CONFLICT (id)}
	 */
	abstract String insertRows(String table, String columns, String conflict);

	/**
	 * Return the statements that write many rows through a staging table of the session:
	 * one that prepares it, a {@code COPY} into it of rows in the order of the columns, and
	 * one that inserts its rows into the table.
	 * @param stage the name of the staging table
	 * @param update what to do when the id is taken, after {@code ON CONFLICT (id)}
	 */
	abstract List<String> stageRows(String table, String stage, String columns, String update);

	/**
	 * Return the claim of the next ready task, returning the claimed row.
	 */
	abstract String claimNext(String table, String columns);

	abstract String reclaimExpiredLeases(String table);

	/**
	 * Return the delete of a batch of finished tasks: at most {@code :batch} that completed
	 * before {@code :cutoff}.
	 */
	abstract String deleteCompletedBatch(String table);

	abstract String statisticsByName(String table);

	/**
	 * Return the count of finished tasks per bucket of their completion time: bucket n
	 * starts at {@code origin + n * bucket} microseconds since the epoch.
	 */
	abstract String completionsByBucket(String table, boolean byCategory);

	/**
	 * Return the query that takes a session's lock on a key if it is free, returning
	 * whether it did.
	 */
	abstract String tryLock();

	abstract String unlock();

	/**
	 * Return the query that waits for a lock on a key, held until the transaction ends.
	 */
	abstract String lockForTransaction();

}
