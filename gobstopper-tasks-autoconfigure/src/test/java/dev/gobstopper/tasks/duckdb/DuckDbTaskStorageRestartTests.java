package dev.gobstopper.tasks.duckdb;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskPriority;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TestTasks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static dev.gobstopper.tasks.TestTasks.NEWEST_FIRST;
import static dev.gobstopper.tasks.TestTasks.T0;
import static dev.gobstopper.tasks.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tasks outlive the storage that saved them: a new storage on the same file, with a data
 * source of its own, finds everything.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DuckDbTaskStorageRestartTests {

	@TempDir
	Path dir;

	private static List<TaskInfo> tasks(int count) {
		List<TaskInfo> tasks = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			tasks.add(task("t-" + i).createdAt(T0.plusSeconds(i))
				.status(TaskStatus.values()[i % TaskStatus.values().length])
				.result(Map.of("i", i))
				.build());
		}
		return tasks;
	}

	@Test
	void everyTaskIsThereAfterARestart() {
		List<TaskInfo> tasks = tasks(200);
		TaskDatabase first = TaskDatabase.in(this.dir);
		try (DuckDbTaskStorage storage = first.openStorage()) {
			storage.saveTasks(tasks.subList(0, 100));
			first.awaitJournalMerged();
			tasks.subList(100, 200).forEach(storage::saveTask);
		}
		TaskDatabase second = new TaskDatabase(first.file());
		try (DuckDbTaskStorage storage = second.openStorage()) {
			assertThat(storage.getTasks(null, null, 1000, 0))
				.isEqualTo(tasks.stream().sorted(NEWEST_FIRST).toList());
			for (TaskInfo task : tasks) {
				assertThat(storage.getTask(task.id())).contains(task);
			}
			assertThat(second.taskRows()).isEqualTo(200);
			assertThat(second.journalRows()).isZero();
		}
	}

	@Test
	void aJournalLeftInTheFileIsMergedWhenTheStorageStarts() {
		TaskDatabase db = TaskDatabase.in(this.dir);
		db.openStorage().close();
		db.execute("INSERT INTO tasks_journal (seq, id, name, category, priority, status, created_at, started_at, "
				+ "completed_at, elapsed_seconds, result, error, retry_count, max_retries, args, kwargs, progress, "
				+ "progress_message) VALUES "
				+ "(1, 'j', 'n', 'c', 2, 'pending', '2025-01-01 00:00:00', NULL, NULL, 0, 'null', NULL, 0, 0, "
				+ "'[]', '{}', 0, 'first'), "
				+ "(2, 'j', 'n', 'c', 3, 'started', '2025-01-01 00:00:00', NULL, NULL, 0, 'null', NULL, 0, 0, "
				+ "'[]', '{}', 0, 'second')");
		try (DuckDbTaskStorage storage = db.openStorage()) {
			assertThat(db.journalRows()).isZero();
			TaskInfo task = storage.getTask("j").orElseThrow();
			assertThat(task.progressMessage()).isEqualTo("second");
			assertThat(task.priority()).isEqualTo(TaskPriority.HIGH);
			assertThat(task.status()).isEqualTo(TaskStatus.STARTED);
			TaskInfo next = task("after").build();
			storage.saveTask(next);
			assertThat(storage.getTask("after")).contains(next);
			assertThat(storage.getTask("j")).contains(task);
		}
	}

}
