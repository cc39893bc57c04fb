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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static dev.gobstopper.tasks.TestTasks.T0;
import static dev.gobstopper.tasks.TestTasks.fullTask;
import static dev.gobstopper.tasks.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DuckDbTaskStorageSaveTests {

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

	@Test
	void savingANewIdInsertsTheTask() {
		TaskInfo task = fullTask("t-1");
		this.storage.saveTask(task);
		assertThat(this.storage.getTask("t-1")).contains(task);
		this.db.awaitJournalMerged();
		assertThat(this.db.taskRows()).isEqualTo(1);
		assertThat(this.storage.getTask("t-1")).contains(task);
	}

	@Test
	void savingAnExistingIdReplacesEveryColumn() {
		this.storage.saveTask(fullTask("t-1"));
		this.db.awaitJournalMerged();
		TaskInfo replacement = TaskInfo.builder()
			.id("t-1")
			.name("other_name")
			.category("other_category")
			.priority(TaskPriority.LOW)
			.status(TaskStatus.SUCCESS)
			.createdAt(T0.minusSeconds(3600))
			.startedAt(T0.plusSeconds(10))
			.completedAt(T0.plusSeconds(20))
			.elapsedSeconds(10.25)
			.result(Map.of("rows", 12))
			.error("a different error")
			.retryCount(1)
			.maxRetries(2)
			.args(List.of(true))
			.kwargs(Map.of("k", List.of()))
			.progress(100)
			.progressMessage("done")
			.build();
		this.storage.saveTask(replacement);
		assertThat(this.storage.getTask("t-1")).contains(replacement);
		this.db.awaitJournalMerged();
		assertThat(this.storage.getTask("t-1")).contains(replacement);
		assertThat(this.db.taskRows()).isEqualTo(1);
	}

	@Test
	void savingAnExistingIdSetsNullableColumnsBackToNull() {
		this.storage.saveTask(fullTask("t-1"));
		this.db.awaitJournalMerged();
		TaskInfo cleared = task("t-1").createdAt(T0).build();
		this.storage.saveTask(cleared);
		this.db.awaitJournalMerged();
		assertThat(this.storage.getTask("t-1")).contains(cleared);
		assertThat(this.db.count("SELECT count(*) FROM tasks WHERE id = 't-1' AND started_at IS NULL "
				+ "AND completed_at IS NULL AND error IS NULL AND elapsed_seconds = 0 AND retry_count = 0 "
				+ "AND max_retries = 0 AND progress = 0 AND progress_message = '' AND result = 'null' "
				+ "AND args = '[]' AND kwargs = '{}'")).isEqualTo(1);
	}

	@Test
	void savingAnIdTwiceBeforeItIsMergedKeepsTheSecondState() {
		TaskInfo first = fullTask("t-1");
		TaskInfo second = first.toBuilder().status(TaskStatus.SUCCESS).error(null).build();
		try (TaskDatabase.MergeHold hold = this.db.holdMerges(this.storage)) {
			this.storage.saveTask(first);
			this.storage.saveTask(second);
			assertThat(this.storage.getTask("t-1")).contains(second);
			assertThat(this.db.journalRows()).isGreaterThanOrEqualTo(2);
		}
		this.db.awaitJournalMerged();
		assertThat(this.storage.getTask("t-1")).contains(second);
		assertThat(this.db.count("SELECT count(*) FROM tasks WHERE id = 't-1'")).isEqualTo(1);
	}

	@Test
	void saveTasksSavesEveryTaskOfTheBatch() {
		List<TaskInfo> batch = List.of(fullTask("a"), task("b").build(), task("c").status(TaskStatus.STARTED).build());
		this.storage.saveTasks(batch);
		for (TaskInfo task : batch) {
			assertThat(this.storage.getTask(task.id())).contains(task);
		}
		this.db.awaitJournalMerged();
		assertThat(this.db.taskRows()).isEqualTo(3);
	}

	@Test
	void saveTasksUpsertsLikeSaveTask() {
		this.storage.saveTask(fullTask("a"));
		this.db.awaitJournalMerged();
		TaskInfo updated = task("a").createdAt(T0).build();
		TaskInfo added = task("b").build();
		this.storage.saveTasks(List.of(updated, added));
		this.db.awaitJournalMerged();
		assertThat(this.storage.getTask("a")).contains(updated);
		assertThat(this.storage.getTask("b")).contains(added);
		assertThat(this.db.taskRows()).isEqualTo(2);
	}

	@Test
	void saveTasksWritesNothingWhenOneTaskOfTheBatchIsBad() {
		this.storage.saveTask(fullTask("existing"));
		this.db.awaitJournalMerged();
		TaskInfo bad = task("bad").result(new Unwritable()).build();
		List<TaskInfo> batch = List.of(task("valid-1").build(), fullTask("existing").toBuilder().retryCount(0).build(),
				bad, task("valid-2").build());
		assertThatIllegalArgumentException().isThrownBy(() -> this.storage.saveTasks(batch))
			.withMessageContaining("bad")
			.withMessageContaining("result");
		assertThat(this.storage.getTask("valid-1")).isEmpty();
		assertThat(this.storage.getTask("valid-2")).isEmpty();
		assertThat(this.storage.getTask("bad")).isEmpty();
		assertThat(this.storage.getTask("existing")).contains(fullTask("existing"));
		assertThat(this.db.journalRows()).isZero();
		assertThat(this.db.taskRows()).isEqualTo(1);
	}

	@Test
	void saveTasksKeepsTheLastOccurrenceOfAnIdWithinTheBatch() {
		TaskInfo first = task("a").progress(10).build();
		TaskInfo middle = first.toBuilder().progress(20).build();
		TaskInfo last = first.toBuilder().progress(30).status(TaskStatus.STARTED).build();
		TaskInfo other = task("b").build();
		this.storage.saveTasks(List.of(first, other, middle, last));
		assertThat(this.storage.getTask("a")).contains(last);
		this.db.awaitJournalMerged();
		assertThat(this.storage.getTask("a")).contains(last);
		assertThat(this.storage.getTask("b")).contains(other);
		assertThat(this.db.taskRows()).isEqualTo(2);
	}

	@Test
	void saveTasksWithAnEmptyBatchWritesNothing() {
		this.storage.saveTasks(List.of());
		assertThat(this.db.journalRows()).isZero();
		assertThat(this.db.taskRows()).isZero();
		assertThat(this.storage.getTasks(null, null)).isEmpty();
	}

	@Test
	void saveTasksSavesALargeBatch() {
		int size = 50_000;
		List<TaskInfo> batch = new ArrayList<>(size);
		for (int i = 0; i < size; i++) {
			batch.add(task("bulk-" + i).createdAt(T0.plusMillis(i))
				.category((i % 2 == 0) ? "even" : "odd")
				.args(List.of(i))
				.build());
		}
		this.storage.saveTasks(batch);
		assertThat(this.db.journalRows() + this.db.taskRows()).isGreaterThanOrEqualTo(size);
		assertThat(this.storage.getTask("bulk-0")).contains(batch.get(0));
		assertThat(this.storage.getTask("bulk-49999")).contains(batch.get(size - 1));
		this.db.awaitJournalMerged();
		assertThat(this.db.taskRows()).isEqualTo(size);
		assertThat(this.db.count("SELECT count(*) FROM tasks WHERE category = 'odd'")).isEqualTo(size / 2);
		assertThat(this.storage.getTask("bulk-31337")).contains(batch.get(31337));
		List<TaskInfo> all = this.storage.getTasks(null, null, size + 1, 0);
		assertThat(all).hasSize(size);
		assertThat(all.get(0)).isEqualTo(batch.get(size - 1));
		assertThat(all.get(size - 1)).isEqualTo(batch.get(0));
	}

	/**
	 * A value Jackson cannot write: it has no properties.
	 */
	static final class Unwritable {

	}

	@Test
	void unmergedSavesBeyondThoseKeptInMemoryAreReadFromTheJournal() {
		List<TaskInfo> tasks = new ArrayList<>();
		for (int i = 0; i < 60_000; i++) {
			tasks.add(task("many-" + i).progress(i % 100).build());
		}
		try (TaskDatabase.MergeHold hold = this.db.holdMerges(this.storage)) {
			this.storage.saveTasks(tasks);
			assertThat(this.db.journalRows()).isGreaterThanOrEqualTo(tasks.size());
			for (int i = 0; i < tasks.size(); i += 997) {
				assertThat(this.storage.getTask(tasks.get(i).id())).contains(tasks.get(i));
			}
			TaskInfo last = tasks.get(tasks.size() - 1);
			assertThat(this.storage.getTask(last.id())).contains(last);
		}
		this.db.awaitJournalMerged();
		assertThat(this.storage.getTask(tasks.get(59_999).id())).contains(tasks.get(59_999));
	}

}
