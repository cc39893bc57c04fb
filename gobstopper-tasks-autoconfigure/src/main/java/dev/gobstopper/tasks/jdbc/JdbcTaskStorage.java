package dev.gobstopper.tasks.jdbc;

import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import javax.sql.DataSource;

import dev.gobstopper.tasks.TaskCompletionBucket;
import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskNameStatistics;
import dev.gobstopper.tasks.TaskPriority;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskStorage;
import dev.gobstopper.tasks.TaskStorageException;
import dev.gobstopper.tasks.TaskSummary;
import dev.gobstopper.tasks.support.AbstractTaskStorage;
import dev.gobstopper.tasks.support.NameStatisticsRows;
import dev.gobstopper.tasks.support.StoreHealth;
import dev.gobstopper.tasks.support.TaskArguments;
import dev.gobstopper.tasks.support.TaskCodec;
import dev.gobstopper.tasks.support.TaskCodec.TimestampReader;
import dev.gobstopper.tasks.support.TaskRow;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A {@link TaskStorage} in a database that several instances of an application share:
 * PostgreSQL 13 or later.
 * <p>
 * Every call reads and writes the database itself, with no copy of any row kept in
 * memory, so each instance sees every commit of the others at once. A save is committed
 * when it returns. Concurrent saves of single tasks within an instance are written
 * together, one statement for many rows; claims skip the tasks that other claimers hold;
 * cleanup deletes in short batches, and a scheduled cleanup runs on one instance at a
 * time.
 * <p>
 * The storage never takes part in a transaction of the caller: its writes commit on
 * their own, and its reads see what is committed.
 */
public final class JdbcTaskStorage extends AbstractTaskStorage implements AutoCloseable {

	/** Finished tasks deleted per transaction, so that saves are never held up for long. */
	private static final int CLEANUP_BATCH = 10_000;

	/**
	 * The batches of {@link #saveTasks} from this size on are copied into a staging table
	 * first: a few round trips more, and less work per row.
	 */
	private static final int COPY_FROM_ROWS = 1_000;

	/** Serialization failures and deadlocks: the transaction was rolled back and may run again. */
	private static final Set<String> RETRYABLE_STATES = Set.of("40001", "40P01");

	private static final int MAX_ATTEMPTS = 5;

	private static final TimestampReader UTC = (rs, column) -> {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime() : null;
	};

	private static final ResultSetExtractor<List<TaskRow>> ROWS = (rs) -> TaskCodec.readRows(rs, UTC);

	private static final Log logger = LogFactory.getLog(JdbcTaskStorage.class);

	private final JdbcTemplate jdbc;

	private final NamedParameterJdbcTemplate named;

	private final TransactionTemplate newTransaction;

	private final TransactionTemplate withoutTransaction;

	private final Dialect dialect;

	private final JdbcSql sql;

	private final TaskCodec codec = new TaskCodec();

	private final GroupCommit saves;

	private final String qualifiedTable;

	private final long cleanupLock;

	private final Map<String, Object> details;

	private volatile boolean closed;

	private JdbcTaskStorage(DataSource dataSource, String table, boolean initializeSchema, Clock clock,
			Duration shutdownTimeout) {
		super(clock);
		this.saves = new GroupCommit(this::writeRows, shutdownTimeout);
		this.jdbc = new JdbcTemplate(dataSource);
		this.named = new NamedParameterJdbcTemplate(this.jdbc);
		DataSourceTransactionManager transactions = new DataSourceTransactionManager(dataSource);
		this.newTransaction = new TransactionTemplate(transactions);
		this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.withoutTransaction = new TransactionTemplate(transactions);
		this.withoutTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_NOT_SUPPORTED);
		Database database = this.jdbc.execute((ConnectionCallback<Database>) (connection) -> {
			DatabaseMetaData metaData = connection.getMetaData();
			return new Database(Dialect.of(metaData), metaData.getDatabaseProductName(),
					metaData.getDatabaseProductVersion(), String.valueOf(connection.getSchema()));
		});
		this.dialect = database.dialect;
		this.sql = new JdbcSql(this.dialect, table);
		this.qualifiedTable = database.schema + "." + table;
		this.cleanupLock = JdbcSql.cleanupLockKey(this.qualifiedTable);
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("database", database.product);
		details.put("version", database.version);
		details.put("table", this.qualifiedTable);
		this.details = Collections.unmodifiableMap(details);
		new JdbcSchema(this.jdbc, this.dialect, this.sql, "schema '" + database.schema + "'")
			.prepare(this.newTransaction, initializeSchema);
	}

	/**
	 * Return a builder for a storage on the given data source.
	 * @param dataSource a data source of connections to the shared database
	 * @return a new builder
	 */
	public static Builder builder(DataSource dataSource) {
		return new Builder(dataSource);
	}

	@Override
	protected void doSaveTask(TaskInfo task) {
		checkOpen();
		this.saves.save(PostgresValues.requireStorable(this.codec.encode(task)));
	}

	@Override
	protected void doSaveTasks(List<TaskInfo> tasks) {
		checkOpen();
		List<TaskRow> rows = new ArrayList<>(tasks.size());
		for (TaskInfo task : tasks) {
			rows.add(PostgresValues.requireStorable(this.codec.encode(task)));
		}
		if (rows.size() < COPY_FROM_ROWS) {
			writeRows(rows);
			return;
		}
		List<TaskRow> distinct = lastOfEachIdSorted(rows);
		String failure = describe(rows) + " could not be saved";
		inNewTransaction(failure, () -> this.jdbc.execute((ConnectionCallback<@Nullable Void>) (connection) -> {
			try (Statement statement = connection.createStatement()) {
				statement.execute(this.sql.createStage);
				PostgresCopy.copy(connection, this.sql.copyIntoStage, distinct);
				statement.executeUpdate(this.sql.upsertFromStage);
			}
			return null;
		}));
	}

	/**
	 * Write rows in one statement, the last of an id winning: a group of single saves, or
	 * a small batch.
	 */
	private void writeRows(List<TaskRow> rows) {
		List<TaskRow> distinct = lastOfEachIdSorted(rows);
		withoutTransaction(describe(rows) + " could not be saved",
				() -> this.jdbc.update(this.sql.upsertRows, new RowArrays(distinct)));
	}

	@Override
	protected @Nullable String whyUnstorable(String text) {
		return PostgresValues.whyUnstorable(text);
	}

	@Override
	protected Optional<TaskInfo> doGetTask(String taskId) {
		checkOpen();
		List<TaskRow> rows = withoutTransaction("Could not read task '" + taskId + "'",
				() -> this.jdbc.query(this.sql.selectById, ROWS, taskId));
		return first(rows);
	}

	@Override
	protected List<TaskInfo> doGetTasks(@Nullable String category, @Nullable TaskStatus status, int limit,
			int offset) {
		checkOpen();
		MapSqlParameterSource arguments = pageArguments(category, status, limit, offset);
		List<TaskRow> rows = withoutTransaction("Could not read tasks", () -> this.named
			.query(this.sql.page(category != null, status != null), arguments, ROWS));
		return decode(rows);
	}

	@Override
	protected List<TaskSummary> doGetTaskSummaries(@Nullable String category, @Nullable TaskStatus status,
			int limit, int offset) {
		checkOpen();
		MapSqlParameterSource arguments = pageArguments(category, status, limit, offset);
		return withoutTransaction("Could not read task summaries", () -> this.named
			.query(this.sql.summaries(category != null, status != null), arguments, JdbcTaskStorage::summary));
	}

	@Override
	protected List<TaskSummary> doGetOldestTaskSummaries(TaskStatus status, int limit) {
		checkOpen();
		return withoutTransaction("Could not read task summaries",
				() -> this.jdbc.query(this.sql.oldestSummaries, JdbcTaskStorage::summary, status.value(), limit));
	}

	/**
	 * Delete the finished tasks in batches, each its own transaction, until a batch finds
	 * none left. A batch counts only the rows it deleted itself: a cleanup running at the
	 * same time on another instance deletes each task once, and the counts add up.
	 */
	@Override
	protected int deleteCompletedBefore(Instant cutoff) {
		checkOpen();
		MapSqlParameterSource parameters = new MapSqlParameterSource("cutoff", utc(cutoff)).addValue("batch",
				CLEANUP_BATCH);
		int total = 0;
		while (true) {
			int deleted = withoutTransaction("Could not delete old tasks",
					() -> this.named.update(this.sql.deleteCompletedBatch, parameters));
			if (deleted == 0) {
				return total;
			}
			total += deleted;
		}
	}

	/**
	 * Run the cleanup unless another instance is running it: the instance that holds the
	 * table's cleanup lock runs it, the others skip the round.
	 */
	@Override
	public OptionalInt cleanupOnSchedule(Duration retention) {
		checkOpen();
		// One connection for the lock and the batches, so that a pool of one suffices
		return withoutTransaction("Could not run the scheduled cleanup", () -> {
			Boolean locked = this.jdbc.queryForObject(this.dialect.tryLock(), Boolean.class, this.cleanupLock);
			if (!Boolean.TRUE.equals(locked)) {
				if (logger.isDebugEnabled()) {
					logger.debug("Skipping the scheduled cleanup of " + this.qualifiedTable
							+ ": another instance is running it");
				}
				return OptionalInt.empty();
			}
			try {
				return OptionalInt.of(cleanupOldTasks(retention));
			}
			finally {
				this.jdbc.queryForObject(this.dialect.unlock(), Boolean.class, this.cleanupLock);
			}
		});
	}

	@Override
	protected boolean doDeleteTask(String taskId) {
		checkOpen();
		return withoutTransaction("Could not delete task '" + taskId + "'",
				() -> this.jdbc.update(this.sql.deleteById, taskId)) > 0;
	}

	@Override
	protected Optional<TaskInfo> doGetTaskByIdempotencyKey(String idempotencyKey) {
		checkOpen();
		return first(withoutTransaction("Could not read the task of an idempotency key",
				() -> this.jdbc.query(this.sql.newestByIdempotencyKey, ROWS, idempotencyKey)));
	}

	@Override
	protected TaskInfo doSaveTaskIfAbsent(TaskInfo task) {
		checkOpen();
		TaskRow row = PostgresValues.requireStorable(this.codec.encode(task));
		String key = task.idempotencyKey();
		String failure = "Task '" + task.id() + "' could not be saved";
		// Saved, the task is returned as stored: every caller gets the same task back
		if (key == null) {
			while (true) {
				int inserted = withoutTransaction(failure,
						() -> this.jdbc.update(this.sql.insertRowsIfAbsent, new RowArrays(List.of(row))));
				if (inserted > 0) {
					return this.codec.decode(row);
				}
				Optional<TaskInfo> stored = doGetTask(task.id());
				if (stored.isPresent()) {
					return stored.get();
				}
				// Deleted since the insert found it: try again
			}
		}
		// The lock on the key makes concurrent callers, in any instance, check and save in turn
		long lock = JdbcSql.lockKey("gobstopper-tasks idempotency " + this.qualifiedTable + " " + key);
		List<TaskRow> found = inNewTransaction(failure, () -> {
			this.jdbc.query(this.dialect.lockForTransaction(), (RowCallbackHandler) (rs) -> {
			}, lock);
			List<TaskRow> existing = this.jdbc.query(this.sql.newestByIdempotencyKey, ROWS, key);
			if (existing.isEmpty()) {
				this.jdbc.update(this.sql.upsertRows, new RowArrays(List.of(row)));
			}
			return existing;
		});
		return first(found).orElseGet(() -> this.codec.decode(row));
	}

	@Override
	protected Optional<TaskInfo> doClaimNext(String category, String workerId, Instant now, Instant leaseExpiresAt) {
		checkOpen();
		MapSqlParameterSource parameters = new MapSqlParameterSource("category", category).addValue("worker", workerId)
			.addValue("now", utc(now))
			.addValue("leaseExpiresAt", utc(leaseExpiresAt));
		return first(withoutTransaction("Could not claim a task of category '" + category + "'",
				() -> this.named.query(this.sql.claimNext, parameters, ROWS)));
	}

	@Override
	protected boolean doRenewLease(String taskId, String workerId, Instant now, Instant leaseExpiresAt) {
		checkOpen();
		return withoutTransaction("Could not renew the lease on task '" + taskId + "'", () -> this.jdbc
			.update(this.sql.renewLease, utc(leaseExpiresAt), utc(now), taskId, workerId)) > 0;
	}

	@Override
	protected int doReclaimExpiredLeases(Instant now, int limit) {
		checkOpen();
		MapSqlParameterSource parameters = new MapSqlParameterSource("now", utc(now)).addValue("limit", limit);
		return withoutTransaction("Could not reclaim expired leases",
				() -> this.named.update(this.sql.reclaimExpiredLeases, parameters));
	}

	@Override
	protected Map<TaskStatus, Long> doCountTasks(@Nullable String category) {
		checkOpen();
		MapSqlParameterSource arguments = new MapSqlParameterSource("category", category);
		Map<TaskStatus, Long> counts = new EnumMap<>(TaskStatus.class);
		withoutTransaction("Could not count tasks", () -> {
			this.named.query(this.sql.countByStatus(category != null), arguments, (RowCallbackHandler) (rs) -> {
				String status = rs.getString(1);
				counts.put(readable(null, "status", () -> TaskStatus.fromValue(status)), rs.getLong(2));
			});
			return null;
		});
		return counts;
	}

	@Override
	protected List<TaskNameStatistics> doStatisticsByName(Instant since) {
		checkOpen();
		return withoutTransaction("Could not compute task statistics", () -> this.named
			.query(this.sql.statisticsByName, new MapSqlParameterSource("since", utc(since)),
					(rs, rowNum) -> NameStatisticsRows.read(rs)));
	}

	@Override
	protected List<TaskCompletionBucket> doCompletionsOverTime(Instant since, Instant until, long bucketMicros,
			@Nullable String category) {
		checkOpen();
		long origin = Math.floorDiv(micros(since), bucketMicros) * bucketMicros;
		MapSqlParameterSource parameters = new MapSqlParameterSource("origin", origin).addValue("bucket", bucketMicros)
			.addValue("since", utc(since))
			.addValue("until", utc(until))
			.addValue("category", category);
		return withoutTransaction("Could not count completed tasks",
				() -> this.named.query(this.sql.completions(category != null), parameters,
						(rs, rowNum) -> new TaskCompletionBucket(
								Instant.EPOCH.plus(origin + rs.getLong("bucket") * bucketMicros, ChronoUnit.MICROS),
								rs.getLong("succeeded"), rs.getLong("failed"), rs.getLong("cancelled"))));
	}

	/**
	 * Describe the storage: its database and table. It reads the table, so it fails when
	 * the database cannot be reached.
	 * @throws TaskStorageException if the database cannot be reached
	 */
	@Override
	public StoreHealth health() {
		checkOpen();
		withoutTransaction("The task storage cannot read its table " + this.qualifiedTable,
				() -> this.jdbc.queryForList(this.sql.probe));
		return new StoreHealth("jdbc", null, null, this.details);
	}

	/**
	 * Refuse later calls with an {@link IllegalStateException}. Every save that returned
	 * is committed already, so there is nothing left to write.
	 */
	@Override
	public void close() {
		this.closed = true;
	}

	private void checkOpen() {
		if (this.closed) {
			throw new IllegalStateException("TaskStorage is closed");
		}
	}

	/**
	 * Run work outside any transaction of the caller, each statement committing on its
	 * own, and on one connection.
	 */
	private <T> T withoutTransaction(String failure, Supplier<T> work) {
		return run(this.withoutTransaction, failure, work);
	}

	/**
	 * Run work in a transaction of its own, whatever the caller's.
	 */
	private <T> T inNewTransaction(String failure, Supplier<T> work) {
		return run(this.newTransaction, failure, work);
	}

	private <T> T run(TransactionTemplate transaction, String failure, Supplier<T> work) {
		for (int attempt = 1;; attempt++) {
			try {
				return transaction.execute((status) -> work.get());
			}
			catch (TaskStorageException ex) {
				throw ex;
			}
			catch (DataAccessException | TransactionException ex) {
				if (attempt == MAX_ATTEMPTS || !retryable(ex)) {
					throw new TaskStorageException(failure + ": " + reason(ex), ex);
				}
				pause(attempt, failure, ex);
			}
		}
	}

	private static boolean retryable(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && RETRYABLE_STATES.contains(sql.getSQLState())) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Wait a little before trying again, longer each time, at random so that the
	 * transactions that collided do not collide again.
	 */
	private static void pause(int attempt, String failure, Exception ex) {
		try {
			Thread.sleep(ThreadLocalRandom.current().nextLong(1, 10L * attempt));
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
			throw new TaskStorageException(failure + ": " + reason(ex), ex);
		}
	}

	/**
	 * Return the first line of the database's message: the lines after it may quote the
	 * values of the statement, which may hold users' data.
	 */
	private static String reason(Exception ex) {
		Throwable cause = (ex instanceof DataAccessException dataAccess) ? dataAccess.getMostSpecificCause() : ex;
		String message = String.valueOf(cause.getMessage());
		int end = message.indexOf('\n');
		return (end >= 0) ? message.substring(0, end) : message;
	}

	private Optional<TaskInfo> first(List<TaskRow> rows) {
		return rows.isEmpty() ? Optional.empty() : Optional.of(this.codec.decode(rows.get(0)));
	}

	private List<TaskInfo> decode(List<TaskRow> rows) {
		List<TaskInfo> tasks = new ArrayList<>(rows.size());
		for (TaskRow row : rows) {
			tasks.add(this.codec.decode(row));
		}
		return tasks;
	}

	private static TaskSummary summary(ResultSet rs, int rowNum) throws SQLException {
		String id = rs.getString("id");
		int priority = rs.getInt("priority");
		String status = rs.getString("status");
		OffsetDateTime createdAt = rs.getObject("created_at", OffsetDateTime.class);
		return new TaskSummary(id, rs.getString("name"), rs.getString("category"),
				readable(id, "priority", () -> TaskPriority.fromValue(priority)),
				readable(id, "status", () -> TaskStatus.fromValue(status)), createdAt.toInstant(),
				rs.getDouble("elapsed_seconds"), rs.getDouble("progress"));
	}

	private static <T> T readable(@Nullable String id, String column, Supplier<T> reader) {
		try {
			return reader.get();
		}
		catch (IllegalArgumentException ex) {
			String task = (id != null) ? "Stored task '" + id + "'" : "A stored task";
			throw new TaskStorageException(task + " has an unreadable " + column + " column: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Return the last row of each id, sorted by id: one statement cannot write a row
	 * twice, and transactions that write rows in one order cannot deadlock on them.
	 */
	private static List<TaskRow> lastOfEachIdSorted(List<TaskRow> rows) {
		Map<String, TaskRow> last = new LinkedHashMap<>();
		for (TaskRow row : rows) {
			last.put(row.id(), row);
		}
		List<TaskRow> sorted = new ArrayList<>(last.values());
		sorted.sort(Comparator.comparing(TaskRow::id));
		return sorted;
	}

	private static String describe(List<TaskRow> rows) {
		return (rows.size() == 1) ? "Task '" + rows.get(0).id() + "'"
				: "A batch of " + rows.size() + " tasks starting with '" + rows.get(0).id() + "'";
	}

	private static MapSqlParameterSource pageArguments(@Nullable String category, @Nullable TaskStatus status,
			int limit, int offset) {
		return new MapSqlParameterSource("category", category)
			.addValue("status", (status != null) ? status.value() : null)
			.addValue("limit", limit)
			.addValue("offset", offset)
			.addValue("depth", (long) limit + offset);
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	private static long micros(Instant instant) {
		return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
	}

	/**
	 * What the storage learned of its database when it started.
	 */
	private record Database(Dialect dialect, String product, String version, String schema) {

	}

	/**
	 * Builds a {@link JdbcTaskStorage}.
	 */
	public static final class Builder {

		private final DataSource dataSource;

		private String tableName = "tasks";

		private boolean initializeSchema = true;

		private Clock clock = Clock.systemUTC();

		private Duration shutdownTimeout = Duration.ofSeconds(30);

		private Builder(DataSource dataSource) {
			this.dataSource = TaskArguments.requireNonNull("dataSource", dataSource);
		}

		/**
		 * Set the name of the task table.
		 * @param tableName a plain SQL identifier, {@code tasks} by default
		 * @return this builder
		 * @throws IllegalArgumentException if the name is not a plain SQL identifier
		 */
		public Builder tableName(String tableName) {
			this.tableName = TaskArguments.requireTableName(TaskArguments.requireNonNull("tableName", tableName));
			return this;
		}

		/**
		 * Set whether to create the table and its indexes where they are missing.
		 * @param initializeSchema {@code true} by default; {@code false} expects them, and
		 * fails naming the statements to run when the table or its columns are missing
		 * @return this builder
		 */
		public Builder initializeSchema(boolean initializeSchema) {
			this.initializeSchema = initializeSchema;
			return this;
		}

		/**
		 * Set the clock that says what time it is, such as when a lease runs out.
		 * @param clock the clock, UTC system time by default
		 * @return this builder
		 */
		public Builder clock(Clock clock) {
			this.clock = TaskArguments.requireNonNull("clock", clock);
			return this;
		}

		/**
		 * Set how long a save waits for the write of another caller that holds it up, such
		 * as one the database does not answer, before it fails. Closing this storage waits
		 * for nothing: every save that returned is committed already.
		 * @param shutdownTimeout a positive duration, 30 seconds by default
		 * @return this builder
		 * @throws IllegalArgumentException if the timeout is not positive
		 */
		public Builder shutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = TaskArguments.requirePositive("shutdownTimeout", shutdownTimeout);
			return this;
		}

		/**
		 * Recognize the database, check or create the table, and start the storage.
		 * @return the storage, to {@link JdbcTaskStorage#close() close} when done
		 * @throws UnsupportedDatabaseException if the data source connects to a database
		 * this storage does not support
		 * @throws TaskStorageException if the database cannot be reached, or holds a table
		 * of another shape, or lacks the table and may not create it
		 */
		public JdbcTaskStorage build() {
			try {
				return new JdbcTaskStorage(this.dataSource, this.tableName, this.initializeSchema, this.clock,
						this.shutdownTimeout);
			}
			catch (TaskStorageException ex) {
				throw ex;
			}
			catch (DataAccessException | TransactionException ex) {
				throw new TaskStorageException("Could not start the task storage: " + reason(ex), ex);
			}
		}

	}

}
