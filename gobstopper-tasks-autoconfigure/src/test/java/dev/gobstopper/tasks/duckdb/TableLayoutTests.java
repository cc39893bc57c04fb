package dev.gobstopper.tasks.duckdb;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskStorageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.gobstopper.tasks.TestTasks.leasedTask;
import static dev.gobstopper.tasks.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The two layouts of a task table the storage opens as they are: ours, which Gobstopper's
 * own migration of a first-era table also gives, and the one today's Gobstopper creates,
 * with the lease columns between {@code max_retries} and {@code args}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TableLayoutTests {

	@TempDir
	Path dir;

	/**
	 * How the table came to be.
	 */
	enum Layout {

		/** Created by today's Gobstopper. */
		TODAYS_GOBSTOPPER,

		/** Created by the first Gobstopper with 17 columns, and migrated by the storage. */
		MIGRATED,

		/** Created by the storage. */
		OURS

	}

	private TaskDatabase create(Layout layout) {
		TaskDatabase db = TaskDatabase.in(this.dir);
		if (layout == Layout.TODAYS_GOBSTOPPER) {
			TodaysGobstopper.create(db);
		}
		else if (layout == Layout.MIGRATED) {
			db.execute(PythonOriginal.CREATE_TABLE);
			PythonOriginal.CREATE_INDEXES.forEach(db::execute);
		}
		return db;
	}

	/**
	 * Return each column of the task table with its type, default and nullability, in
	 * order.
	 */
	private static List<String> columns(TaskDatabase db) {
		return db.strings("SELECT column_name || ' ' || data_type || ' ' || coalesce(column_default, '-') || ' ' "
				+ "|| is_nullable FROM duckdb_columns() WHERE table_name = 'tasks' ORDER BY column_index");
	}

	private static List<String> indexes(TaskDatabase db) {
		return db.strings("SELECT index_name || ': ' || sql FROM duckdb_indexes() WHERE table_name = 'tasks' ORDER BY 1");
	}

	private static List<String> primaryKey(TaskDatabase db) {
		return db.strings("SELECT constraint_column_names::VARCHAR FROM duckdb_constraints() "
				+ "WHERE table_name = 'tasks' AND constraint_type = 'PRIMARY KEY'");
	}

	@ParameterizedTest
	@EnumSource(Layout.class)
	void everyValueRoundTripsInEachLayout(Layout layout) {
		TaskDatabase db = create(layout);
		TaskInfo task = leasedTask("every-value");
		TaskInfo update = task.toBuilder().status(TaskStatus.RETRY).attempt(3).leaseOwner(null).build();
		try (DuckDbTaskStorage storage = db.openStorage()) {
			storage.saveTask(task);
			assertThat(storage.getTask(task.id())).contains(task);
			db.awaitJournalMerged();
			assertThat(storage.getTask(task.id())).contains(task);
			assertThat(storage.getTaskByIdempotencyKey(task.idempotencyKey())).contains(task);
			storage.saveTask(update);
		}
		try (DuckDbTaskStorage storage = db.openStorage()) {
			assertThat(storage.getTask(task.id())).contains(update);
			assertThat(storage.getTasks(null, TaskStatus.RETRY)).containsExactly(update);
		}
		// Read by column name, each value as stored
		assertThat(db.strings("SELECT concat_ws('|', id, attempt, max_attempts, idempotency_key, not_before, "
				+ "next_attempt_at, coalesce(lease_owner, '-'), lease_expires_at, claimed_at, last_heartbeat_at, "
				+ "retry_count, max_retries, progress_message) FROM tasks"))
			.containsExactly("every-value|3|4|key-every-value|2025-03-01 12:00:10.123456|2025-03-01 12:00:20.123456|-|"
					+ "2025-03-01 12:05:30.123456|2025-03-01 12:00:00.123486|2025-03-01 12:00:30.123456|3|5|"
					+ "rendering charts");
	}

	@Test
	void aTableOfTodaysGobstopperKeepsItsLayoutAndIndexes() {
		TaskDatabase db = create(Layout.TODAYS_GOBSTOPPER);
		List<String> columns = columns(db);
		List<String> indexes = indexes(db);
		try (DuckDbTaskStorage storage = db.openStorage()) {
			storage.saveTask(leasedTask("t"));
			storage.claimNext("reports", "w", Duration.ofMinutes(1));
			storage.deleteTask("t");
		}
		assertThat(columns(db)).isEqualTo(columns).hasSize(26);
		assertThat(columns.get(13)).startsWith("attempt INTEGER 0");
		assertThat(indexes(db)).isEqualTo(indexes).hasSize(7);
		assertThat(primaryKey(db)).containsExactly("[id]");
	}

	@ParameterizedTest
	@EnumSource(Layout.class)
	void aCleanupThatRebuildsTheTableKeepsItsLayoutKeyAndIndexes(Layout layout) {
		TaskDatabase db = create(layout);
		if (layout == Layout.OURS) {
			db.openStorage().close();
			db.execute("CREATE INDEX idx_tasks_status ON tasks(status)");
		}
		else {
			db.openStorage().close();
		}
		List<String> columns = columns(db);
		List<String> indexes = indexes(db);
		Instant longAgo = Instant.parse("2025-01-01T00:00:00Z");
		List<TaskInfo> old = new ArrayList<>();
		for (int i = 0; i < 12_000; i++) {
			old.add(task("old-" + i).status(TaskStatus.SUCCESS).createdAt(longAgo).completedAt(longAgo).build());
		}
		TaskInfo kept = leasedTask("kept");
		try (DuckDbTaskStorage storage = db.openStorage()) {
			storage.saveTasks(old);
			storage.saveTask(kept);
			assertThat(storage.cleanupOldTasks(30, 0, 0)).isEqualTo(12_000);
			assertThat(storage.getTask("kept")).contains(kept);
		}
		assertThat(columns(db)).isEqualTo(columns);
		assertThat(indexes(db)).isEqualTo(indexes).isNotEmpty();
		assertThat(primaryKey(db)).containsExactly("[id]");
		assertThat(db.count("SELECT count(*) FROM tasks")).isEqualTo(1);
		try (DuckDbTaskStorage storage = db.openStorage()) {
			assertThat(storage.getTask("kept")).contains(kept);
			assertThat(storage.getTaskByIdempotencyKey("key-kept")).contains(kept);
		}
		// A row without a name is refused: the NOT NULL is kept
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> db.execute(
				"INSERT INTO tasks (id, name, category, priority, status, created_at) VALUES ('x', NULL, 'c', 2, 'pending', now())"))
			.withMessageContaining("NOT NULL");
		db.execute("INSERT INTO tasks (id, name, category, priority, status, created_at) "
				+ "VALUES ('defaults', 'n', 'c', 2, 'pending', TIMESTAMP '2025-01-01 00:00:00')");
		assertThat(db.strings("SELECT concat_ws('|', retry_count, max_retries, attempt, max_attempts, progress, "
				+ "progress_message) FROM tasks WHERE id = 'defaults'")).containsExactly("0|0|0|1|0.0|");
	}

	@Test
	void aTableWithTodaysColumnsInAnotherOrderIsRefused() {
		TaskDatabase db = TaskDatabase.in(this.dir);
		db.execute(TodaysGobstopper.CREATE_TABLE.replace("    attempt INTEGER DEFAULT 0,\n", "")
			.replace("progress_message VARCHAR DEFAULT ''", "progress_message VARCHAR DEFAULT '',\n attempt INTEGER"));
		assertThatExceptionOfType(TaskStorageException.class).isThrownBy(db::openStorage)
			.withMessageContaining("is not a gobstopper-tasks table");
	}

	@Test
	void aTableOfTodaysLayoutWithAnotherTypeIsRefused() {
		TaskDatabase db = TaskDatabase.in(this.dir);
		db.execute(TodaysGobstopper.CREATE_TABLE.replace("lease_owner VARCHAR", "lease_owner INTEGER"));
		assertThatExceptionOfType(TaskStorageException.class).isThrownBy(db::openStorage)
			.withMessageContaining("is not a gobstopper-tasks table");
	}

}
