package dev.gobstopper.tasks.duckdb;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.support.TaskCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static dev.gobstopper.tasks.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The unmerged rows kept in memory stay within their bound in rows and in bytes while
 * merges are held back, and every save beyond the bound is still read back exactly, from
 * the journal table.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class UnmergedRowsBoundTests {

	@TempDir
	Path dir;

	private TaskDatabase db;

	private DuckDbTaskStorage storage;

	private RecentRows recent;

	@BeforeEach
	void openStorage() {
		this.db = TaskDatabase.in(this.dir);
		this.storage = this.db.openStorage();
		this.recent = this.storage.recentRows();
	}

	@AfterEach
	void closeStorage() {
		this.storage.close();
	}

	@Test
	void aBatchFarBeyondTheRowBoundIsReadBackExactlyWhileTheRowsKeptStayBounded() {
		int size = 3 * RecentRows.MAX_UNMERGED_ROWS;
		List<TaskInfo> tasks = new ArrayList<>(size);
		for (int i = 0; i < size; i++) {
			tasks.add(task("many-" + i).progress(i % 100).build());
		}
		List<TaskInfo> updated = new ArrayList<>();
		try (TaskDatabase.MergeHold hold = this.db.holdMerges(this.storage)) {
			this.storage.saveTasks(tasks.subList(0, 1_000));
			assertThat(this.recent.unmergedOverflowed()).isFalse();
			this.storage.saveTasks(tasks.subList(1_000, size));
			assertThat(this.recent.unmergedOverflowed()).isTrue();
			// Tasks kept in memory before the bound was passed, saved again beyond it
			for (int i = 0; i < 1_000; i += 100) {
				TaskInfo update = tasks.get(i).toBuilder().progressMessage("updated beyond the bound").build();
				this.storage.saveTask(update);
				updated.add(update);
			}
			assertThat(this.recent.unmergedRows()).isLessThanOrEqualTo(RecentRows.MAX_UNMERGED_ROWS);
			assertThat(this.recent.unmergedBytes()).isLessThanOrEqualTo(RecentRows.MAX_UNMERGED_BYTES);
			assertThat(this.db.journalRows()).isGreaterThan(size);
			assertReadBack(tasks, updated);
		}
		this.db.awaitJournalMerged();
		TaskDatabase.await("the rows not kept to be merged", () -> !this.recent.unmergedOverflowed());
		assertThat(this.recent.hasUnmerged()).isFalse();
		assertReadBack(tasks, updated);
		// Kept again once the journal is merged
		try (TaskDatabase.MergeHold hold = this.db.holdMerges(this.storage)) {
			TaskInfo after = task("after-the-merge").build();
			this.storage.saveTask(after);
			assertThat(this.recent.unmerged(after.id())).isNotNull();
		}
	}

	@Test
	void tasksFarBeyondTheByteBoundAreReadBackExactlyWhileTheBytesKeptStayBounded() {
		String payload = "x".repeat(1_000_000);
		long rowBytes = RecentRows.bytes(new TaskCodec().encode(task("large-0").result(payload + 0).build()));
		int count = (int) (2 * RecentRows.MAX_UNMERGED_BYTES / rowBytes) + 1;
		List<TaskInfo> tasks = new ArrayList<>();
		try (TaskDatabase.MergeHold hold = this.db.holdMerges(this.storage)) {
			for (int i = 0; i < count; i++) {
				TaskInfo large = task("large-" + i).result(payload + i).build();
				this.storage.saveTask(large);
				tasks.add(large);
			}
			assertThat(this.recent.unmergedOverflowed()).isTrue();
			assertThat(this.recent.unmergedBytes()).isLessThanOrEqualTo(RecentRows.MAX_UNMERGED_BYTES);
			assertThat(this.recent.unmergedRows()).isLessThan(count);
			assertReadBack(tasks, List.of());
		}
		this.db.awaitJournalMerged();
		assertReadBack(tasks, List.of());
	}

	private void assertReadBack(List<TaskInfo> tasks, List<TaskInfo> updated) {
		int step = Math.max(1, tasks.size() / 300);
		for (int i = 0; i < tasks.size(); i += step) {
			TaskInfo task = tasks.get(i);
			if (updated.stream().noneMatch((update) -> update.id().equals(task.id()))) {
				assertThat(this.storage.getTask(task.id())).contains(task);
			}
		}
		TaskInfo last = tasks.get(tasks.size() - 1);
		assertThat(this.storage.getTask(last.id())).contains(last);
		for (TaskInfo update : updated) {
			assertThat(this.storage.getTask(update.id())).contains(update);
		}
	}

}
