package dev.gobstopper.tasks.duckdb;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStorageException;
import dev.gobstopper.tasks.TestTasks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.gobstopper.tasks.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Saves from concurrent callers commit together in one group: a save the database refuses
 * must fail only its own caller.
 */
class GroupCommitTests {

	private static final int THREADS = 16;

	private static final int SAVES_PER_THREAD = 40;

	@TempDir
	Path dir;

	@Test
	void aSaveTheDatabaseRefusesFailsOnlyItsOwnCallerAndEverySaveCommittedBesideItIsKept() throws Exception {
		TaskDatabase db = TaskDatabase.in(this.dir);
		// A journal of the expected shape, with a rule of the database that refuses some ids:
		// such saves pass every check of the storage and fail only when their group commits.
		db.execute(new DuckDbSql("tasks").createJournal.replace("id VARCHAR NOT NULL",
				"id VARCHAR NOT NULL CHECK (id NOT LIKE 'refused-%')"));
		List<String> acknowledged = new ArrayList<>();
		List<String> refused = new ArrayList<>();
		try (DuckDbTaskStorage storage = db.openStorage()) {
			ExecutorService threads = Executors.newFixedThreadPool(THREADS);
			CountDownLatch start = new CountDownLatch(1);
			List<Future<List<String>>> outcomes = new ArrayList<>();
			for (int t = 0; t < THREADS; t++) {
				int thread = t;
				outcomes.add(threads.submit(() -> {
					start.await();
					List<String> saved = new ArrayList<>();
					for (int i = 0; i < SAVES_PER_THREAD; i++) {
						String id = ((i % 10 == 3) ? "refused-" : "kept-") + thread + "-" + i;
						try {
							storage.saveTask(task(id).build());
							saved.add(id);
						}
						catch (TaskStorageException ex) {
							assertThat(id).startsWith("refused-");
							assertThat(ex).hasMessageContaining("Task '" + id + "' could not be saved");
							saved.add("!" + id);
						}
					}
					return saved;
				}));
			}
			start.countDown();
			for (Future<List<String>> outcome : outcomes) {
				for (String id : outcome.get(2, TimeUnit.MINUTES)) {
					if (id.startsWith("!")) {
						refused.add(id.substring(1));
					}
					else {
						acknowledged.add(id);
					}
				}
			}
			threads.shutdown();
			for (String id : acknowledged) {
				assertThat(storage.getTask(id)).as(id).isPresent();
			}
		}
		assertThat(acknowledged).hasSize(THREADS * SAVES_PER_THREAD * 9 / 10).allMatch((id) -> id.startsWith("kept-"));
		assertThat(refused).hasSize(THREADS * SAVES_PER_THREAD / 10);
		try (DuckDbTaskStorage storage = db.openStorage()) {
			for (String id : acknowledged) {
				assertThat(storage.getTask(id)).as(id).isPresent();
			}
			for (String id : refused) {
				assertThat(storage.getTask(id)).as(id).isEmpty();
			}
		}
		assertThat(db.taskRows()).isEqualTo(acknowledged.size());
	}

	@Test
	void aBatchTheDatabaseRefusesIsWrittenNotAtAllWhileOtherCallersSavesAreKept() throws Exception {
		TaskDatabase db = TaskDatabase.in(this.dir);
		db.execute(new DuckDbSql("tasks").createJournal.replace("id VARCHAR NOT NULL",
				"id VARCHAR NOT NULL CHECK (id NOT LIKE 'refused-%')"));
		try (DuckDbTaskStorage storage = db.openStorage()) {
			ExecutorService threads = Executors.newFixedThreadPool(2);
			Future<?> others = threads.submit(() -> {
				for (int i = 0; i < 200; i++) {
					storage.saveTask(task("other-" + i).build());
				}
			});
			for (int i = 0; i < 20; i++) {
				List<TaskInfo> batch = List.of(task("batch-" + i + "-a").build(), task("refused-" + i).build(),
						task("batch-" + i + "-b").build());
				assertThatExceptionOfType(TaskStorageException.class).isThrownBy(() -> storage.saveTasks(batch))
					.withMessageContaining("A batch of 3 tasks starting with 'batch-" + i + "-a'");
			}
			others.get(2, TimeUnit.MINUTES);
			threads.shutdown();
			for (int i = 0; i < 20; i++) {
				assertThat(storage.getTask("batch-" + i + "-a")).isEmpty();
				assertThat(storage.getTask("batch-" + i + "-b")).isEmpty();
			}
			for (int i = 0; i < 200; i++) {
				assertThat(storage.getTask("other-" + i)).isPresent();
			}
		}
		assertThat(db.taskRows()).isEqualTo(200);
	}

}
