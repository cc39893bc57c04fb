package dev.gobstopper.tasks.duckdb;

import java.nio.file.Path;
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

import static dev.gobstopper.tasks.TestTasks.fullTask;
import static dev.gobstopper.tasks.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;

@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DuckDbTaskStorageDeleteTests {

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

	private long rowsOf(String id) {
		return this.db.count("SELECT (SELECT count(*) FROM tasks WHERE id = ?) + "
				+ "(SELECT count(*) FROM tasks_journal WHERE id = ?)", id, id);
	}

	@Test
	void deleteTaskRemovesAMergedTaskAndReturnsTrue() {
		this.storage.saveTasks(List.of(fullTask("gone"), fullTask("kept")));
		this.db.awaitJournalMerged();
		assertThat(this.storage.deleteTask("gone")).isTrue();
		assertThat(this.storage.getTask("gone")).isEmpty();
		assertThat(this.storage.getTasks(null, null)).containsExactly(fullTask("kept"));
		assertThat(rowsOf("gone")).isZero();
		assertThat(rowsOf("kept")).isEqualTo(1);
	}

	@Test
	void deleteTaskOfAnUnknownIdReturnsFalseAndChangesNothing() {
		this.storage.saveTask(fullTask("kept"));
		this.db.awaitJournalMerged();
		assertThat(this.storage.deleteTask("unknown")).isFalse();
		assertThat(this.storage.deleteTask("KEPT")).isFalse();
		assertThat(this.storage.deleteTask("%")).isFalse();
		assertThat(this.storage.getTask("kept")).contains(fullTask("kept"));
		assertThat(this.db.taskRows()).isEqualTo(1);
	}

	@Test
	void deleteTaskRemovesATaskStillInTheJournal() {
		try (TaskDatabase.MergeHold hold = this.db.holdMerges(this.storage)) {
			this.storage.saveTask(fullTask("unmerged"));
			this.storage.saveTask(fullTask("unmerged").toBuilder().progress(99).build());
			assertThat(rowsOf("unmerged")).isEqualTo(2);
			assertThat(this.db.count("SELECT count(*) FROM tasks WHERE id = 'unmerged'")).isZero();
			assertThat(this.storage.deleteTask("unmerged")).isTrue();
			assertThat(this.storage.getTask("unmerged")).isEmpty();
			assertThat(this.storage.getTasks(null, null)).extracting(TaskInfo::id).doesNotContain("unmerged");
		}
		this.db.awaitJournalMerged();
		assertThat(this.storage.getTask("unmerged")).isEmpty();
		assertThat(rowsOf("unmerged")).isZero();
	}

	@Test
	void deleteTaskRemovesAMergedTaskWhoseUpdateIsStillInTheJournal() {
		this.storage.saveTask(fullTask("updated"));
		this.db.awaitJournalMerged();
		try (TaskDatabase.MergeHold hold = this.db.holdMerges(this.storage)) {
			this.storage.saveTask(fullTask("updated").toBuilder().status(TaskStatus.SUCCESS).build());
			assertThat(this.db.count("SELECT count(*) FROM tasks_journal WHERE id = 'updated'")).isEqualTo(1);
			assertThat(this.storage.deleteTask("updated")).isTrue();
			assertThat(this.storage.getTask("updated")).isEmpty();
			assertThat(this.storage.getTasks(null, TaskStatus.SUCCESS)).isEmpty();
			assertThat(this.storage.getTasks(null, TaskStatus.FAILED)).isEmpty();
		}
		this.db.awaitJournalMerged();
		assertThat(this.storage.getTask("updated")).isEmpty();
		assertThat(rowsOf("updated")).isZero();
	}

	@Test
	void aTaskSavedAgainAfterItsDeletionIsStoredAgain() {
		this.storage.saveTask(fullTask("again"));
		assertThat(this.storage.deleteTask("again")).isTrue();
		TaskInfo second = task("again").build();
		this.storage.saveTask(second);
		assertThat(this.storage.getTask("again")).contains(second);
		this.db.awaitJournalMerged();
		assertThat(this.storage.getTask("again")).contains(second);
		assertThat(rowsOf("again")).isEqualTo(1);
	}

}
