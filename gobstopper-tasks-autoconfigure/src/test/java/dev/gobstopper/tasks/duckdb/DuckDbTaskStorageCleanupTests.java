package dev.gobstopper.tasks.duckdb;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TestTasks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static dev.gobstopper.tasks.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cleanup rule of the original: only tasks in a terminal status whose
 * {@code completedAt} lies before now minus the period are deleted. Completion times lie
 * an hour on either side of the cutoff, so the time the cleanup takes cannot move a task
 * across it.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DuckDbTaskStorageCleanupTests {

	private static final Duration MARGIN = Duration.ofHours(1);

	@TempDir
	Path dir;

	private TaskDatabase db;

	private DuckDbTaskStorage storage;

	@BeforeEach
	void openStorage() {
		this.db = TaskDatabase.in(this.dir);
		this.storage = this.db.openStorage();
	}

	@AfterEach
	void closeStorage() {
		this.storage.close();
	}

	/**
	 * Save a task of every status completed before the cutoff, one completed after it, and
	 * one not completed, and return the ids of those the cleanup must delete.
	 */
	private List<String> saveEveryStatusAroundTheCutoff(Duration period) {
		Instant cutoff = Instant.now().minus(period);
		List<TaskInfo> tasks = new ArrayList<>();
		List<String> expired = new ArrayList<>();
		for (TaskStatus status : TaskStatus.values()) {
			String id = status.value();
			tasks.add(task(id + "-before").status(status).completedAt(cutoff.minus(MARGIN)).build());
			tasks.add(task(id + "-after").status(status).completedAt(cutoff.plus(MARGIN)).build());
			tasks.add(task(id + "-never").status(status).completedAt(null).build());
			if (status.isTerminal()) {
				expired.add(id + "-before");
			}
		}
		this.storage.saveTasks(tasks);
		return expired;
	}

	private List<String> storedIds() {
		return this.db.strings("SELECT id FROM tasks UNION SELECT id FROM tasks_journal ORDER BY 1");
	}

	private List<String> idsWithout(List<String> all, List<String> deleted) {
		List<String> remaining = new ArrayList<>(all);
		remaining.removeAll(deleted);
		return remaining;
	}

	@Test
	void cleanupDeletesOnlyTasksInATerminalStatusThatCompletedBeforeThePeriod() {
		List<String> expired = saveEveryStatusAroundTheCutoff(Duration.ofDays(30));
		this.db.awaitJournalMerged();
		List<String> before = storedIds();
		assertThat(this.storage.cleanupOldTasks(30, 0, 0)).isEqualTo(3);
		assertThat(expired).containsExactlyInAnyOrder("success-before", "failed-before", "cancelled-before");
		assertThat(storedIds()).isEqualTo(idsWithout(before, expired));
		for (String id : expired) {
			assertThat(this.storage.getTask(id)).isEmpty();
		}
		assertThat(this.storage.getTasks(null, null)).hasSize(15);
	}

	@Test
	void cleanupDeletesTasksSavedJustBeforeIt() {
		List<String> expired = saveEveryStatusAroundTheCutoff(Duration.ofDays(30));
		assertThat(this.storage.cleanupOldTasks(30, 0, 0)).isEqualTo(3);
		assertThat(storedIds()).hasSize(15).doesNotContainAnyElementsOf(expired);
		this.db.awaitJournalMerged();
		assertThat(this.db.taskRows()).isEqualTo(15);
		for (String id : expired) {
			assertThat(this.storage.getTask(id)).isEmpty();
		}
	}

	@Test
	void cleanupReturnsTheNumberOfTasksDeleted() {
		Instant old = Instant.now().minus(Duration.ofDays(100));
		List<TaskInfo> tasks = new ArrayList<>();
		for (int i = 0; i < 25; i++) {
			tasks.add(task("done-" + i).status(TaskStatus.SUCCESS).completedAt(old).build());
		}
		this.storage.saveTasks(tasks);
		assertThat(this.storage.cleanupOldTasks(200, 0, 0)).isZero();
		assertThat(this.storage.cleanupOldTasks(50, 0, 0)).isEqualTo(25);
		assertThat(this.storage.cleanupOldTasks(50, 0, 0)).isZero();
		assertThat(this.db.taskRows() + this.db.journalRows()).isZero();
	}

	@Test
	void tasksDeletedByCleanupStayDeletedAfterARestart() {
		List<String> expired = saveEveryStatusAroundTheCutoff(Duration.ofDays(30));
		this.storage.cleanupOldTasks(30, 0, 0);
		this.storage.close();
		this.storage = this.db.openStorage();
		assertThat(storedIds()).hasSize(15).doesNotContainAnyElementsOf(expired);
		assertThat(this.storage.getTasks(null, null)).hasSize(15);
	}

	@Test
	void cleanupOfALargeShareOfTheTableKeepsExactlyTheOtherTasksTheirKeyAndTheirIndexes() {
		this.storage.close();
		this.db.execute(new DuckDbSql("tasks").createTable);
		this.db.execute("CREATE INDEX idx_tasks_status ON tasks(status)");
		this.db.execute("CREATE INDEX idx_tasks_category ON tasks(category)");
		this.storage = this.db.openStorage();
		List<String> expired = new ArrayList<>();
		List<TaskInfo> tasks = new ArrayList<>();
		for (int i = 0; i < 12_000; i++) {
			TaskInfo task = task("old-" + i).status(TaskStatus.values()[2 + i % 3])
				.completedAt(Instant.now().minus(Duration.ofDays(40)))
				.build();
			tasks.add(task);
			expired.add(task.id());
		}
		List<String> cutoffTasks = saveEveryStatusAroundTheCutoff(Duration.ofDays(30));
		expired.addAll(cutoffTasks);
		this.storage.saveTasks(tasks);
		List<String> before = storedIds();
		List<TaskInfo> kept = idsWithout(before, expired).stream()
			.map((id) -> this.storage.getTask(id).orElseThrow())
			.toList();

		assertThat(this.storage.cleanupOldTasks(30, 0, 0)).isEqualTo(expired.size());

		assertThat(storedIds()).containsExactlyInAnyOrderElementsOf(idsWithout(before, expired));
		for (TaskInfo task : kept) {
			assertThat(this.storage.getTask(task.id())).contains(task);
		}
		assertThat(this.db.strings("SELECT index_name FROM duckdb_indexes() WHERE table_name = 'tasks' ORDER BY 1"))
			.containsExactly("idx_tasks_category", "idx_tasks_idempotency_key", "idx_tasks_status");
		assertThat(this.db.strings("SELECT constraint_column_names::VARCHAR FROM duckdb_constraints() "
				+ "WHERE table_name = 'tasks' AND constraint_type = 'PRIMARY KEY'"))
			.containsExactly("[id]");
		TaskInfo updated = kept.get(0).toBuilder().progress(42).build();
		this.storage.saveTask(updated);
		this.db.awaitJournalMerged();
		assertThat(this.storage.getTask(updated.id())).contains(updated);
		assertThat(this.db.count("SELECT count(*) FROM tasks WHERE id = ?", updated.id())).isEqualTo(1);
	}

}
