package dev.gobstopper.tasks.duckdb;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.gobstopper.tasks.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatRuntimeException;

/**
 * A cleanup that rebuilds the table lets merges and deletes go on while it copies, and
 * still ends exact: what was saved or deleted meanwhile is kept or gone as acknowledged,
 * and only tasks finished before the cutoff are removed. Smaller cleanups delete in chunks.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CleanupWhileWritingTests {

	private static final Instant OLD = Instant.now().minus(Duration.ofDays(40));

	/** Enough for a rebuild: at least 10,000 rows and one in eight of the table. */
	private static final int EXPIRED = 12_000;

	private static final int KEPT = 3_000;

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

	private void saveExpiredAndKept(int expired, int kept) {
		List<TaskInfo> tasks = new ArrayList<>();
		for (int i = 0; i < expired; i++) {
			tasks.add(task("old-" + i).status(TaskStatus.values()[2 + i % 3]).completedAt(OLD).build());
		}
		for (int i = 0; i < kept; i++) {
			tasks.add(task("kept-" + i).status((i % 2 == 0) ? TaskStatus.SUCCESS : TaskStatus.PENDING)
				.completedAt((i % 2 == 0) ? Instant.now() : null)
				.build());
		}
		this.storage.saveTasks(tasks);
		this.db.awaitJournalMerged();
	}

	/**
	 * While the rebuild has its copy and has not replaced the table yet, saves, deletes
	 * and merges go on: the rebuild must take them over. With many changes it takes them
	 * in catch-up rounds, with few in its last step.
	 */
	@ParameterizedTest
	@ValueSource(ints = { 0, 2_000 })
	void changesMadeWhileARebuildCopiesAreKeptAndNothingUnexpiredIsRemoved(int updates) throws Exception {
		saveExpiredAndKept(EXPIRED, KEPT);
		CountDownLatch copied = new CountDownLatch(1);
		CountDownLatch resume = new CountDownLatch(1);
		this.storage.onMaintenanceStep((step) -> {
			if (step == TableMaintenance.Step.REBUILD_COPIED) {
				copied.countDown();
				await(resume);
			}
		});
		CompletableFuture<Integer> cleanup = CompletableFuture.supplyAsync(() -> this.storage.cleanupOldTasks(30, 0, 0));
		assertThat(copied.await(2, TimeUnit.MINUTES)).isTrue();

		Map<String, TaskInfo> expected = new HashMap<>();
		for (int i = 0; i < KEPT; i++) {
			expected.put("kept-" + i, this.storage.getTask("kept-" + i).orElseThrow());
		}
		// Deletes and merges are not held up by the copy
		assertThat(this.storage.deleteTask("kept-0")).isTrue();
		expected.remove("kept-0");
		assertThat(this.storage.deleteTask("old-0")).isTrue();
		TaskInfo revived = task("old-1").status(TaskStatus.PENDING).completedAt(null).build();
		TaskInfo expiredNow = task("kept-2").status(TaskStatus.FAILED).completedAt(OLD).build();
		TaskInfo added = task("new-task").build();
		TaskInfo addedExpired = task("new-expired").status(TaskStatus.SUCCESS).completedAt(OLD).build();
		this.storage.saveTasks(List.of(revived, expiredNow, added, addedExpired));
		expected.put(revived.id(), revived);
		expected.remove(expiredNow.id());
		expected.put(added.id(), added);
		List<TaskInfo> updated = new ArrayList<>();
		for (int i = 0; i < updates; i++) {
			TaskInfo task = expected.get("kept-" + (3 + i)).toBuilder().progress(i % 100).build();
			updated.add(task);
			expected.put(task.id(), task);
		}
		this.storage.saveTasks(updated);
		this.db.awaitJournalMerged();
		assertThat(cleanup).isNotDone();
		resume.countDown();

		// Expired: the old ones less the one deleted and the one revived, plus the kept
		// task that expired and the new expired task, all in the table by then
		assertThat(cleanup.get(2, TimeUnit.MINUTES)).isEqualTo(EXPIRED - 2 + 2);
		assertThat(this.db.strings("SELECT id FROM tasks UNION ALL SELECT id FROM tasks_journal"))
			.containsExactlyInAnyOrderElementsOf(expected.keySet());
		expected.forEach((id, task) -> assertThat(this.storage.getTask(id)).contains(task));
		assertThat(this.db.count("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'tasks_rebuild'")).isZero();
		this.storage.close();
		this.storage = this.db.openStorage();
		expected.forEach((id, task) -> assertThat(this.storage.getTask(id)).contains(task));
		assertThat(this.storage.getTasks(null, null, 10_000, 0)).hasSize(expected.size());
	}

	@Test
	void aRebuildThatFailsInItsLastStepLeavesTheTableAsItWas() {
		saveExpiredAndKept(EXPIRED, KEPT);
		List<String> before = this.db.strings("SELECT id FROM tasks ORDER BY id");
		this.storage.onMaintenanceStep((step) -> {
			if (step == TableMaintenance.Step.REBUILD_REPLACING) {
				throw new IllegalStateException("Failed on purpose");
			}
		});
		assertThatRuntimeException().isThrownBy(() -> this.storage.cleanupOldTasks(30, 0, 0))
			.withMessageContaining("Failed on purpose");
		assertThat(this.db.strings("SELECT id FROM tasks ORDER BY id")).isEqualTo(before);
		assertThat(this.db.count("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'tasks_rebuild'")).isZero();
		this.storage.onMaintenanceStep((step) -> {
		});
		assertThat(this.storage.cleanupOldTasks(30, 0, 0)).isEqualTo(EXPIRED);
		assertThat(this.db.taskRows()).isEqualTo(KEPT);
	}

	@Test
	void aCopyLeftByARebuildThatWasStoppedDoesNotStopTheNextCleanup() {
		saveExpiredAndKept(EXPIRED, KEPT);
		this.db.execute("CREATE TABLE tasks_rebuild (id VARCHAR, leftover INTEGER)");
		assertThat(this.storage.cleanupOldTasks(30, 0, 0)).isEqualTo(EXPIRED);
		assertThat(this.db.taskRows()).isEqualTo(KEPT);
		assertThat(this.db.count("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'tasks_rebuild'")).isZero();
	}

	/**
	 * Fewer expired rows than a rebuild needs are deleted in place, in chunks of 1,000:
	 * the count is exact on either side of a chunk's size.
	 */
	@ParameterizedTest
	@ValueSource(ints = { 999, 2_000, 2_001 })
	void cleanupInPlaceDeletesEveryExpiredRowAcrossChunks(int expired) {
		saveExpiredAndKept(expired, 10 * KEPT);
		assertThat(this.storage.cleanupOldTasks(30, 0, 0)).isEqualTo(expired);
		assertThat(this.db.taskRows()).isEqualTo(10 * KEPT);
		assertThat(this.db.count("SELECT count(*) FROM tasks WHERE id LIKE 'old-%'")).isZero();
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
