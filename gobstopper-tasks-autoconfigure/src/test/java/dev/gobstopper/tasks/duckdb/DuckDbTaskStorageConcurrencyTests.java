package dev.gobstopper.tasks.duckdb;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TestTasks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static dev.gobstopper.tasks.TestTasks.T0;
import static dev.gobstopper.tasks.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Saves from many threads at once, including updates of the same ids.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DuckDbTaskStorageConcurrencyTests {

	private static final int THREADS = 16;

	private static final int SAVES_PER_THREAD = 500;

	private static final int OWN_IDS_PER_THREAD = 20;

	private static final int SHARED_IDS = 10;

	@TempDir
	Path dir;

	private TaskDatabase db;

	private DuckDbTaskStorage storage;

	private ExecutorService executor;

	@BeforeEach
	void openStorage() {
		this.db = TaskDatabase.in(this.dir);
		this.storage = this.db.openStorage();
		this.executor = Executors.newFixedThreadPool(THREADS);
	}

	@AfterEach
	void closeStorage() throws InterruptedException {
		this.executor.shutdownNow();
		assertThat(this.executor.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
		this.storage.close();
	}

	/**
	 * Return the state a thread writes for an id at one of its saves.
	 */
	private static TaskInfo state(String id, int thread, int save) {
		return task(id).category((id.startsWith("shared")) ? "shared" : "own-" + thread)
			.status(TaskStatus.values()[save % TaskStatus.values().length])
			.createdAt(T0.plusSeconds(save))
			.progress(save % 101)
			.progressMessage("thread " + thread + " save " + save)
			.kwargs(Map.of("thread", thread, "save", save))
			.build();
	}

	@Test
	void concurrentSavesKeepEveryIdInOneOfItsLastWrittenStates() throws Exception {
		List<Map<String, TaskInfo>> lastWrites = runWriters(false);
		verify(lastWrites);
		this.storage.close();
		this.storage = this.db.openStorage();
		verify(lastWrites);
	}

	@Test
	void eachThreadReadsItsOwnSaveAsSoonAsItReturnsWhileOthersWrite() throws Exception {
		List<Map<String, TaskInfo>> lastWrites = runWriters(true);
		verify(lastWrites);
	}

	@Test
	void concurrentBatchesAreEachSavedWholeAndInOrder() throws Exception {
		CountDownLatch start = new CountDownLatch(1);
		List<Future<List<TaskInfo>>> futures = new ArrayList<>();
		for (int t = 0; t < THREADS; t++) {
			int thread = t;
			futures.add(this.executor.submit(() -> {
				start.await();
				List<TaskInfo> written = new ArrayList<>();
				for (int b = 0; b < 10; b++) {
					List<TaskInfo> batch = new ArrayList<>();
					for (int i = 0; i < 50; i++) {
						batch.add(state("batch-" + thread + "-" + b + "-" + i, thread, b));
						batch.add(state("shared-" + i, thread, b));
					}
					this.storage.saveTasks(batch);
					written.addAll(batch);
				}
				return written;
			}));
		}
		start.countDown();
		for (Future<List<TaskInfo>> future : futures) {
			for (TaskInfo task : future.get(5, TimeUnit.MINUTES)) {
				if (!task.id().startsWith("shared")) {
					assertThat(this.storage.getTask(task.id())).contains(task);
				}
			}
		}
		this.db.awaitJournalMerged();
		assertThat(this.db.taskRows()).isEqualTo(THREADS * 10 * 50 + 50);
		// Every batch writes all shared ids, so the last batch committed holds them all
		TaskInfo first = this.storage.getTask("shared-0").orElseThrow();
		int lastThread = (Integer) first.kwargs().get("thread");
		for (int i = 0; i < 50; i++) {
			assertThat(this.storage.getTask("shared-" + i)).contains(state("shared-" + i, lastThread, 9));
		}
	}

	/**
	 * Run the writer threads and return, per thread, the last state it wrote of every id.
	 */
	private List<Map<String, TaskInfo>> runWriters(boolean readBack) throws Exception {
		CountDownLatch start = new CountDownLatch(1);
		List<Future<Map<String, TaskInfo>>> futures = new ArrayList<>();
		for (int t = 0; t < THREADS; t++) {
			int thread = t;
			Callable<Map<String, TaskInfo>> writer = () -> {
				Map<String, TaskInfo> last = new HashMap<>();
				start.await();
				for (int save = 0; save < SAVES_PER_THREAD; save++) {
					String id = (save % 2 == 0) ? "own-" + thread + "-" + (save / 2) % OWN_IDS_PER_THREAD
							: "shared-" + (save / 2) % SHARED_IDS;
					TaskInfo task = state(id, thread, save);
					this.storage.saveTask(task);
					last.put(id, task);
					if (readBack && id.startsWith("own")) {
						assertThat(this.storage.getTask(id)).contains(task);
					}
				}
				return last;
			};
			futures.add(this.executor.submit(writer));
		}
		start.countDown();
		List<Map<String, TaskInfo>> lastWrites = new ArrayList<>();
		for (Future<Map<String, TaskInfo>> future : futures) {
			lastWrites.add(future.get(5, TimeUnit.MINUTES));
		}
		return lastWrites;
	}

	private void verify(List<Map<String, TaskInfo>> lastWrites) {
		for (int thread = 0; thread < THREADS; thread++) {
			for (int k = 0; k < OWN_IDS_PER_THREAD; k++) {
				String id = "own-" + thread + "-" + k;
				assertThat(this.storage.getTask(id)).contains(lastWrites.get(thread).get(id));
			}
		}
		for (int s = 0; s < SHARED_IDS; s++) {
			String id = "shared-" + s;
			List<TaskInfo> candidates = lastWrites.stream().map((last) -> last.get(id)).toList();
			assertThat(this.storage.getTask(id)).hasValueSatisfying((task) -> assertThat(candidates).contains(task));
		}
		int expectedCount = THREADS * OWN_IDS_PER_THREAD + SHARED_IDS;
		assertThat(this.storage.getTasks(null, null, 100_000, 0)).hasSize(expectedCount);
		assertThat(this.storage.getTasks("shared", null, 100_000, 0)).hasSize(SHARED_IDS);
		for (int thread = 0; thread < THREADS; thread++) {
			assertThat(this.storage.getTasks("own-" + thread, null, 100_000, 0))
				.containsExactlyInAnyOrderElementsOf(lastWrites.get(thread)
					.values()
					.stream()
					.filter((task) -> task.id().startsWith("own"))
					.toList());
		}
		this.db.awaitJournalMerged();
		assertThat(this.db.taskRows()).isEqualTo(expectedCount);
		assertThat(this.db.count("SELECT count(DISTINCT id) FROM tasks")).isEqualTo(expectedCount);
	}

}
