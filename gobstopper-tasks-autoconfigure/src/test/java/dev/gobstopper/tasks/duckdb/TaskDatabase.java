package dev.gobstopper.tasks.duckdb;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStorage;
import dev.gobstopper.tasks.TestTasks;
import org.duckdb.DuckDBDataSource;

import static org.assertj.core.api.Assertions.fail;

/**
 * A DuckDB file for one test, used by the storage and by plain SQL alike: every connection
 * of its data source shares the one open database instance.
 */
final class TaskDatabase {

	private static final Duration PATIENCE = Duration.ofSeconds(60);

	private final Path file;

	private final DuckDBDataSource dataSource;

	TaskDatabase(Path file) {
		this.file = file;
		this.dataSource = new DuckDBDataSource("jdbc:duckdb:" + file);
	}

	static TaskDatabase in(Path dir) {
		return new TaskDatabase(dir.resolve("tasks.duckdb"));
	}

	Path file() {
		return this.file;
	}

	DataSource dataSource() {
		return this.dataSource;
	}

	DuckDbTaskStorage openStorage() {
		return DuckDbTaskStorage.builder(this.dataSource).build();
	}

	long taskRows() {
		return count("SELECT count(*) FROM tasks");
	}

	long journalRows() {
		return count("SELECT count(*) FROM tasks_journal");
	}

	long count(String sql, Object... parameters) {
		List<String> values = strings(sql, parameters);
		return Long.parseLong(values.get(0));
	}

	/**
	 * Return the first column of every row, as text.
	 */
	List<String> strings(String sql, Object... parameters) {
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement statement = prepare(connection, sql, parameters);
				ResultSet rs = statement.executeQuery()) {
			List<String> values = new ArrayList<>();
			while (rs.next()) {
				values.add(rs.getString(1));
			}
			return values;
		}
		catch (SQLException ex) {
			throw new IllegalStateException(sql + ": " + ex.getMessage(), ex);
		}
	}

	void execute(String sql, Object... parameters) {
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement statement = prepare(connection, sql, parameters)) {
			statement.execute();
		}
		catch (SQLException ex) {
			throw new IllegalStateException(sql + ": " + ex.getMessage(), ex);
		}
	}

	private static PreparedStatement prepare(Connection connection, String sql, Object... parameters)
			throws SQLException {
		PreparedStatement statement = connection.prepareStatement(sql);
		for (int i = 0; i < parameters.length; i++) {
			statement.setObject(i + 1, parameters[i]);
		}
		return statement;
	}

	/**
	 * Wait until the maintenance thread has merged every journal row into the task table.
	 */
	void awaitJournalMerged() {
		await("the journal to be merged into the task table", () -> journalRows() == 0);
	}

	static void await(String what, BooleanSupplier condition) {
		Instant deadline = Instant.now().plus(PATIENCE);
		while (!condition.getAsBoolean()) {
			if (Instant.now().isAfter(deadline)) {
				fail("Gave up waiting for " + what + " after " + PATIENCE);
			}
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				fail("Interrupted while waiting for " + what);
			}
		}
	}

	/**
	 * Keep the storage from merging its journal until the returned hold is closed, so that
	 * what is saved meanwhile is read from the journal.
	 * <p>
	 * Every merge writes all journal rows in one transaction. The hold saves a task of its
	 * own, waits until it is in the task table, then deletes that row in a transaction it
	 * leaves open and saves the task again. Each later merge must delete the held row too,
	 * so DuckDB fails it with a write conflict and the storage retries it later, until the
	 * hold rolls back.
	 * @param storage the storage to hold
	 * @return the hold, whose {@link MergeHold#task() task} is stored like any other
	 */
	MergeHold holdMerges(TaskStorage storage) {
		TaskInfo task = TestTasks.task("merge-hold")
			.category("merge-hold")
			.createdAt(Instant.parse("2000-01-01T00:00:00Z"))
			.build();
		storage.saveTask(task);
		awaitJournalMerged();
		try {
			Connection connection = this.dataSource.getConnection();
			try (Statement statement = connection.createStatement()) {
				statement.execute("BEGIN TRANSACTION");
				statement.execute("DELETE FROM tasks WHERE id = 'merge-hold'");
			}
			storage.saveTask(task);
			return new MergeHold(connection, task);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * An open transaction that keeps the journal from being merged.
	 */
	static final class MergeHold implements AutoCloseable {

		private final Connection connection;

		private final TaskInfo task;

		private MergeHold(Connection connection, TaskInfo task) {
			this.connection = connection;
			this.task = task;
		}

		TaskInfo task() {
			return this.task;
		}

		@Override
		public void close() {
			try (Connection connection = this.connection; Statement statement = connection.createStatement()) {
				statement.execute("ROLLBACK");
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
