package dev.gobstopper.tasks.duckdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import javax.sql.DataSource;

import dev.gobstopper.tasks.TaskCompletionBucket;
import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskNameStatistics;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskStorageException;
import dev.gobstopper.tasks.TaskSummary;
import dev.gobstopper.tasks.support.AbstractTaskStorage;
import dev.gobstopper.tasks.support.StoreHealth;
import dev.gobstopper.tasks.support.TaskArguments;
import dev.gobstopper.tasks.support.TaskCodec;
import dev.gobstopper.tasks.support.TaskRow;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.util.unit.DataSize;

/**
 * A {@link TaskStorage} on DuckDB.
 * <p>
 * The table holds the same columns as the {@code TaskStorage} of Gobstopper's Python
 * original, so either can open a file the other wrote. DuckDB pays per statement and per
 * commit, not per row, so this storage writes in sets:
 * <ul>
 * <li>Saves from concurrent callers are appended to a journal table beside the task table,
 * one group per commit, by a single writer thread. A caller returns once its group has
 * committed.</li>
 * <li>A maintenance thread merges the journal into the task table in large batches, and
 * runs deletes and cleanup. Until a save is merged, reads find it in the journal.</li>
 * <li>Writes that depend on what is stored ({@code saveTaskIfAbsent}, {@code claimNext},
 * {@code renewLease}, {@code reclaimExpiredLeases}) are decided by the writer thread in
 * line with the saves, so that concurrent callers in this process are served one after
 * the other, and are group-committed with them. Claims take their task from the first
 * ready tasks of each category, kept in memory and exact with every save.</li>
 * <li>{@code getTask} reads tasks saved or read lately from memory, up to the
 * {@link Builder#cacheSize(DataSize) cache size}. This storage is the only writer of its
 * table, so what it keeps is never out of date: it must not be written from outside while
 * the storage is open.</li>
 * </ul>
 * Storages of one JVM on the same file and table share all of this, so that each sees
 * what the others saved. {@link #close()} of the last of them commits every accepted save,
 * merges the journal and releases the connections. A journal left by a crash is merged at
 * the next start.
 * <p>
 * Faults are bounded by the {@link Builder#shutdownTimeout(Duration) shutdown timeout}: a
 * caller waiting for a writer or maintenance thread that has spent longer than that on
 * one piece of work gets a {@link TaskStorageException} saying whether its write was
 * not made or may or may not have been made; saves wait up to that long for merges that
 * fell far behind, then are refused; closing gives up after that long. Reads never wait
 * for those threads. Should either thread end unexpectedly, every later call is refused
 * with a {@code TaskStorageException} naming the cause, and {@link #health()} reports it.
 */
public final class DuckDbTaskStorage extends AbstractTaskStorage implements AutoCloseable {

	private final StorageEngine engine;

	private final TaskCodec codec = new TaskCodec();

	private volatile boolean closed;

	private DuckDbTaskStorage(StorageEngine engine, Clock clock) {
		super(clock);
		this.engine = engine;
	}

	/**
	 * Return a builder for a storage on the given DuckDB data source.
	 * @param dataSource a data source of DuckDB connections
	 * @return a new builder
	 */
	public static Builder builder(DataSource dataSource) {
		return new Builder(dataSource);
	}

	@Override
	protected void doSaveTask(TaskInfo task) {
		checkOpen();
		TaskRow row = this.codec.encode(task);
		this.engine.maintenance.awaitRoomForSaves();
		this.engine.journal.append(List.of(row));
	}

	@Override
	protected void doSaveTasks(List<TaskInfo> tasks) {
		checkOpen();
		List<TaskRow> rows = new ArrayList<>(tasks.size());
		for (TaskInfo task : tasks) {
			rows.add(this.codec.encode(task));
		}
		this.engine.maintenance.awaitRoomForSaves();
		this.engine.journal.append(rows);
	}

	@Override
	protected Optional<TaskInfo> doGetTask(String taskId) {
		checkOpen();
		RecentRows.Lookup kept = this.engine.recent.lookup(taskId);
		if (kept.row() != null) {
			return Optional.of(this.codec.decode(kept.row()));
		}
		TaskRow row = read("Could not read task '" + taskId + "'", (session) -> {
			TaskRow journaled = kept.inJournal() ? first(session.prepare(this.engine.sql.selectJournalById), taskId) : null;
			return (journaled != null) ? journaled : first(session.prepare(this.engine.sql.selectById), taskId);
		});
		if (row == null) {
			return Optional.empty();
		}
		TaskInfo task = this.codec.decode(row);
		// Only once it reads as a task: a row repaired by hand must be read again
		this.engine.recent.fill(taskId, row, kept.stamp());
		return Optional.of(task);
	}

	@Override
	protected List<TaskInfo> doGetTasks(@Nullable String category, @Nullable TaskStatus status, int limit,
			int offset) {
		checkOpen();
		boolean withJournal = this.engine.recent.hasUnmerged();
		String page = this.engine.sql.page(category != null, status != null, withJournal);
		return read("Could not read tasks", (session) -> {
			if (!withJournal) {
				return page(session.prepare(page), 1, category, status, limit, offset);
			}
			// The journal's rows bound the table's part of the page: counted in its snapshot
			return session.inOneSnapshot(() -> {
				long journalRows;
				try (ResultSet rs = session.prepare(this.engine.sql.countJournal).executeQuery()) {
					rs.next();
					journalRows = rs.getLong(1);
				}
				PreparedStatement statement = session.prepare(page);
				int parameter = bindFilters(statement, 1, category, status);
				statement.setLong(parameter++, (long) limit + offset + journalRows);
				return page(statement, parameter, category, status, limit, offset);
			});
		});
	}

	private List<TaskInfo> page(PreparedStatement statement, int firstParameter, @Nullable String category,
			@Nullable TaskStatus status, int limit, int offset) throws SQLException {
		int parameter = bindFilters(statement, firstParameter, category, status);
		statement.setLong(parameter++, limit);
		statement.setLong(parameter, offset);
		try (ResultSet rs = statement.executeQuery()) {
			return TaskCodec.readRows(rs).stream().map(this.codec::decode).toList();
		}
	}

	private static int bindFilters(PreparedStatement statement, int firstParameter, @Nullable String category,
			@Nullable TaskStatus status) throws SQLException {
		int parameter = firstParameter;
		if (category != null) {
			statement.setString(parameter++, category);
		}
		if (status != null) {
			statement.setString(parameter++, status.value());
		}
		return parameter;
	}

	@Override
	protected int deleteCompletedBefore(Instant cutoff) {
		checkOpen();
		return this.engine.maintenance.deleteCompletedBefore(LocalDateTime.ofInstant(cutoff, ZoneOffset.UTC));
	}

	@Override
	protected boolean doDeleteTask(String taskId) {
		checkOpen();
		// Claims must not take the task while it is deleted, nor after
		this.engine.claims.deleting(taskId);
		boolean committed = false;
		try {
			boolean deleted = this.engine.maintenance.delete(taskId);
			committed = true;
			return deleted;
		}
		finally {
			this.engine.claims.deleted(taskId, committed);
		}
	}

	@Override
	protected List<TaskSummary> doGetTaskSummaries(@Nullable String category, @Nullable TaskStatus status,
			int limit, int offset) {
		String page = this.engine.sql.summaryPage(category != null, status != null, this.engine.recent.hasUnmerged());
		return read("Could not read task summaries", (session) -> {
			PreparedStatement statement = session.prepare(page);
			int parameter = 1;
			if (category != null) {
				statement.setString(parameter++, category);
			}
			if (status != null) {
				statement.setString(parameter++, status.value());
			}
			statement.setLong(parameter++, limit);
			statement.setLong(parameter, offset);
			return ReportRows.read(statement);
		});
	}

	@Override
	protected List<TaskSummary> doGetOldestTaskSummaries(TaskStatus status, int limit) {
		String oldest = this.engine.sql.oldest(this.engine.recent.hasUnmerged());
		return read("Could not read task summaries", (session) -> {
			PreparedStatement statement = session.prepare(oldest);
			statement.setString(1, status.value());
			statement.setLong(2, limit);
			return ReportRows.read(statement);
		});
	}

	@Override
	protected Optional<TaskInfo> doGetTaskByIdempotencyKey(String idempotencyKey) {
		return read("Could not read the task of an idempotency key", (session) -> {
			PreparedStatement statement = session.prepare(this.engine.sql.byIdempotencyKey);
			statement.setString(1, idempotencyKey);
			statement.setMaxRows(1);
			try (ResultSet rs = statement.executeQuery()) {
				return TaskCodec.readRows(rs).stream().findFirst().map(this.codec::decode);
			}
		});
	}

	@Override
	protected TaskInfo doSaveTaskIfAbsent(TaskInfo task) {
		checkOpen();
		TaskRow row = this.codec.encode(task);
		this.engine.maintenance.awaitRoomForSaves();
		// Saved, the task is returned as stored: every caller gets the same task back
		return this.codec.decode(this.engine.conditionalWrites.saveIfAbsent(row));
	}

	@Override
	protected Optional<TaskInfo> doClaimNext(String category, String workerId, Instant now, Instant leaseExpiresAt) {
		checkOpen();
		TaskRow claimed = this.engine.conditionalWrites.claim(category, workerId, utc(now), utc(leaseExpiresAt));
		return Optional.ofNullable(claimed).map(this.codec::decode);
	}

	@Override
	protected boolean doRenewLease(String taskId, String workerId, Instant now, Instant leaseExpiresAt) {
		checkOpen();
		return this.engine.conditionalWrites.renew(taskId, workerId, utc(now), utc(leaseExpiresAt));
	}

	@Override
	protected int doReclaimExpiredLeases(Instant now, int limit) {
		checkOpen();
		return this.engine.conditionalWrites.reclaim(utc(now), limit);
	}

	@Override
	protected Map<TaskStatus, Long> doCountTasks(@Nullable String category) {
		String counts = this.engine.sql.counts(category != null, this.engine.recent.hasUnmerged());
		return read("Could not count tasks", (session) -> {
			PreparedStatement statement = session.prepare(counts);
			if (category != null) {
				statement.setString(1, category);
			}
			Map<TaskStatus, Long> byStatus = new EnumMap<>(TaskStatus.class);
			try (ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					byStatus.put(ReportRows.status(rs.getString(1)), rs.getLong(2));
				}
			}
			return byStatus;
		});
	}

	@Override
	protected List<TaskNameStatistics> doStatisticsByName(Instant since) {
		String statistics = this.engine.sql.statistics(this.engine.recent.hasUnmerged());
		return read("Could not compute task statistics", (session) -> {
			PreparedStatement statement = session.prepare(statistics);
			statement.setObject(1, utc(since));
			return ReportRows.readStatistics(statement);
		});
	}

	@Override
	protected List<TaskCompletionBucket> doCompletionsOverTime(Instant since, Instant until, long bucketMicros,
			@Nullable String category) {
		String completions = this.engine.sql.completions(category != null, this.engine.recent.hasUnmerged());
		return read("Could not count completed tasks", (session) -> {
			PreparedStatement statement = session.prepare(completions);
			statement.setLong(1, bucketMicros);
			statement.setLong(2, bucketMicros);
			statement.setObject(3, utc(since));
			statement.setObject(4, utc(until));
			if (category != null) {
				statement.setString(5, category);
			}
			List<TaskCompletionBucket> buckets = new ArrayList<>();
			try (ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					Instant start = Instant.EPOCH.plus(Math.multiplyExact(rs.getLong(1), bucketMicros), ChronoUnit.MICROS);
					buckets.add(new TaskCompletionBucket(start, rs.getLong(2), rs.getLong(3), rs.getLong(4)));
				}
			}
			return buckets;
		});
	}

	/**
	 * Describe the store: {@code failure} is set once every call is refused, because the
	 * journal's writer or the maintenance thread ended unexpectedly, or the storage was
	 * closed; {@code failingSince} while merges of the journal into the task table fail.
	 * The details are the database {@code path} (or {@code :memory:}), its
	 * {@code sizeBytes}, with its write-ahead log (left out for an in-memory database once
	 * the storage failed or closed, since it can no longer be asked), and the
	 * {@code backlog} of saves not merged yet.
	 */
	@Override
	public StoreHealth health() {
		String failure = this.engine.failure();
		if (failure != null) {
			failure = "The task storage failed and refuses every call: " + failure;
		}
		else if (this.closed) {
			failure = "The task storage is closed";
		}
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("path", this.engine.databasePath);
		if (failure == null || !DuckDbDataSource.IN_MEMORY.equals(this.engine.databasePath)) {
			details.put("sizeBytes", sizeBytes());
		}
		details.put("backlog", backlog());
		return new StoreHealth("duckdb", failure, this.engine.maintenance.failingSince(), details);
	}

	/**
	 * Return the number of saves committed to the journal and not yet merged into the
	 * task table.
	 * @return the backlog, in journal rows
	 */
	public long backlog() {
		return this.engine.maintenance.backlog();
	}

	private long sizeBytes() {
		if (DuckDbDataSource.IN_MEMORY.equals(this.engine.databasePath)) {
			return read("Could not read the database size", (session) -> {
				try (ResultSet rs = session.prepare(DuckDbDataSource.USED_BYTES).executeQuery()) {
					return rs.next() ? rs.getLong(1) : 0;
				}
			});
		}
		try {
			return Files.size(Path.of(this.engine.databasePath)) + walSize();
		}
		catch (IOException ex) {
			throw new TaskStorageException("Could not read the size of " + this.engine.databasePath + ": " + ex, ex);
		}
	}

	/**
	 * Return the size of the write-ahead log beside the file, where commits wait for the
	 * next checkpoint, or 0 once a checkpoint has removed it.
	 */
	private long walSize() throws IOException {
		try {
			return Files.size(Path.of(this.engine.databasePath + ".wal"));
		}
		catch (NoSuchFileException ex) {
			return 0;
		}
	}

	private static LocalDateTime utc(Instant instant) {
		return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	/**
	 * Return the rows the storage keeps in memory, for tests of their bounds.
	 */
	RecentRows recentRows() {
		return this.engine.recent;
	}

	/**
	 * Make the journal writer stop, as an unexpected error in it would, once it has
	 * committed the next save. For tests of what follows.
	 */
	void failJournalWriterAfterNextSave() {
		this.engine.journal.failAfterNextCommit();
	}

	/**
	 * Run a hook at the given steps of merges and of cleanups that rebuild the table. For
	 * tests that need such a step in progress.
	 */
	void onMaintenanceStep(Consumer<TableMaintenance.Step> hook) {
		this.engine.maintenance.onStep(hook);
	}

	/**
	 * Run a hook on the journal writer before each commit, for tests of a slow, stuck or
	 * failing writer.
	 */
	void beforeJournalCommit(Runnable hook) {
		this.engine.journal.beforeCommit(hook);
	}

	/**
	 * Run a hook on the maintenance thread before each merge with rows to merge, for tests
	 * of failing, stuck or dying merges.
	 */
	void beforeMerge(Runnable hook) {
		this.engine.maintenance.beforeMerge(hook);
	}

	/**
	 * Change how far merges may fall behind before saves wait for them, for tests.
	 */
	void limitBacklog(long rows, Duration age) {
		this.engine.maintenance.limitBacklog(rows, age);
	}

	/**
	 * Commit every save already accepted, merge the journal into the task table and close
	 * the connections, unless another storage of this JVM on the same file and table still
	 * uses them: the last one to close does that. Calls after this are refused with an
	 * {@link IllegalStateException}.
	 * <p>
	 * Closing takes at most the {@link Builder#shutdownTimeout(Duration) shutdown timeout}.
	 * Should the writer or maintenance thread still be stuck in a statement then, it is
	 * left to end on its own, and closes its connection when it does; a warning tells how
	 * many saves stay in the journal table for the next start to merge.
	 */
	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		try {
			this.engine.release();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private <T> T read(String failure, ReadSessions.Read<T> read) {
		checkOpen();
		try {
			return this.engine.reads.read(read);
		}
		catch (SQLException ex) {
			throw new TaskStorageException(failure + ": " + ex.getMessage(), ex);
		}
	}

	private static @Nullable TaskRow first(PreparedStatement statement, String taskId) throws SQLException {
		statement.setString(1, taskId);
		try (ResultSet rs = statement.executeQuery()) {
			List<TaskRow> rows = TaskCodec.readRows(rs);
			return rows.isEmpty() ? null : rows.get(0);
		}
	}

	private void checkOpen() {
		if (this.closed) {
			throw new IllegalStateException("TaskStorage is closed");
		}
		this.engine.checkWorking();
	}

	/**
	 * Builds a {@link DuckDbTaskStorage}.
	 */
	public static final class Builder {

		private final DataSource dataSource;

		private String tableName = "tasks";

		private boolean initializeSchema = true;

		private Clock clock = Clock.systemUTC();

		private DataSize cacheSize = DataSize.ofMegabytes(64);

		private Duration shutdownTimeout = Duration.ofSeconds(30);

		private Builder(DataSource dataSource) {
			this.dataSource = TaskArguments.requireNonNull("dataSource", dataSource);
		}

		/**
		 * Set the name of the task table; the journal is the table of that name with a
		 * {@code _journal} suffix.
		 * @param tableName a plain SQL identifier, {@code tasks} by default
		 * @return this builder
		 * @throws IllegalArgumentException if the name is not a plain SQL identifier
		 */
		public Builder tableName(String tableName) {
			this.tableName = TaskArguments.requireTableName(TaskArguments.requireNonNull("tableName", tableName));
			return this;
		}

		/**
		 * Set whether to create the tables where they are missing.
		 * @param initializeSchema {@code true} by default
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
		 * Set how much memory the tasks read and saved lately may take, kept so that
		 * reading them again needs no query. Tasks saved but not yet merged into the task
		 * table are kept besides, up to a bound of their own. A storage that joins the
		 * storage of this JVM already started on the same file and table shares its cache,
		 * of the size that one was built with.
		 * @param cacheSize the size, 64 MB by default; zero keeps no tasks beyond the
		 * unmerged ones
		 * @return this builder
		 * @throws IllegalArgumentException if the size is negative
		 */
		public Builder cacheSize(DataSize cacheSize) {
			TaskArguments.requireNonNull("cacheSize", cacheSize);
			if (cacheSize.isNegative()) {
				throw new IllegalArgumentException("cacheSize must not be negative, got " + cacheSize);
			}
			this.cacheSize = cacheSize;
			return this;
		}

		/**
		 * Set how long closing waits for the storage's writer and maintenance threads to
		 * commit and merge what is pending. It also bounds how long a call waits for one of
		 * those threads that has spent longer than that on one piece of work (a statement
		 * stuck in the database, for instance), and how long a save waits for merges that
		 * fell far behind. Storages of this JVM on the same file and table share the
		 * timeout of the first one.
		 * @param shutdownTimeout a positive duration, 30 seconds by default
		 * @return this builder
		 * @throws IllegalArgumentException if the timeout is not positive
		 */
		public Builder shutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = TaskArguments.requirePositive("shutdownTimeout", shutdownTimeout);
			return this;
		}

		/**
		 * Check or create the tables, merge a journal left by a crash, and start the
		 * storage; or join the storage of this JVM already started on the same file and
		 * table.
		 * @return the storage, to {@link DuckDbTaskStorage#close() close} when done
		 * @throws IllegalArgumentException if the data source does not connect to DuckDB
		 * @throws TaskStorageException if the database cannot be opened or holds tables of
		 * another shape, or a storage closed before on the same file and table still has a
		 * thread stuck in a statement
		 */
		public DuckDbTaskStorage build() {
			DuckDbSql sql = new DuckDbSql(this.tableName);
			try {
				StorageEngine engine = StorageEngine.acquire(this.dataSource, sql, this.initializeSchema, this.clock,
						this.cacheSize.toBytes(), this.shutdownTimeout);
				return new DuckDbTaskStorage(engine, this.clock);
			}
			catch (TaskStorageException ex) {
				throw ex;
			}
			catch (SQLException | DataAccessException ex) {
				throw new TaskStorageException("Could not start the task storage: " + ex.getMessage(), ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new TaskStorageException("Interrupted while starting the task storage", ex);
			}
		}

	}

}
