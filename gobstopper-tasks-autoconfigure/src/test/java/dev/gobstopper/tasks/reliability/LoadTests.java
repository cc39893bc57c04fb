package dev.gobstopper.tasks.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.duckdb.DuckDbTaskStorage;
import org.duckdb.DuckDBDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bounded mixed load of saves, updates of the same ids from several threads, reads,
 * filtered queries and cleanup, all at once.
 * <p>
 * Each thread takes its own tasks through three versions, the last of which is finished;
 * a third of them finished long ago, so cleanup may delete them, and only those. Every
 * thread also updates a set of shared tasks, and ends by writing a final state of each.
 * Every version of every task is a function of what identifies it, so any task read back
 * can be checked to be one that was written, whole.
 */
@Timeout(180)
class LoadTests {

	private static final int THREADS = 8;

	private static final int OPERATIONS = 300;

	private static final int SHARED = 16;

	private static final Duration RETENTION = Duration.ofDays(30);

	private static final Instant BASE = Instant.parse("2019-01-01T00:00:00Z");

	private static final Instant LONG_AGO = Instant.parse("2020-01-01T00:00:00Z");

	private static final Instant RECENT = Instant.now().truncatedTo(ChronoUnit.MICROS);

	private static final Duration PATIENCE = Duration.ofSeconds(120);

	@TempDir
	Path dir;

	@Test
	void aMixedLoadEndsWithEveryTaskInALastWrittenStateAndTheCountsAddingUp() throws Exception {
		DuckDBDataSource dataSource = new DuckDBDataSource("jdbc:duckdb:" + this.dir.resolve("load.duckdb"));
		try (DuckDbTaskStorage storage = DuckDbTaskStorage.builder(dataSource).build()) {
			Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
			AtomicLong deleted = new AtomicLong();
			Map<Integer, Set<TaskInfo>> sharedFinals = new ConcurrentHashMap<>();
			List<Worker> workers = new ArrayList<>();
			ExecutorService executor = Executors.newFixedThreadPool(THREADS);
			try {
				List<Future<?>> running = new ArrayList<>();
				for (int t = 0; t < THREADS; t++) {
					Worker worker = new Worker(storage, t, new Random(4242L + t), failures, deleted, sharedFinals);
					workers.add(worker);
					running.add(executor.submit(worker));
				}
				long deadline = System.nanoTime() + PATIENCE.toNanos();
				for (Future<?> worker : running) {
					worker.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
				}
			}
			finally {
				executor.shutdownNow();
			}
			assertThat(failures).as("failures in the threads").isEmpty();

			deleted.addAndGet(storage.cleanupOldTasks(RETENTION));
			Map<String, TaskInfo> present = new HashMap<>();
			for (int offset = 0;; offset += 1000) {
				List<TaskInfo> page = storage.getTasks(null, null, 1000, offset);
				if (page.isEmpty()) {
					break;
				}
				page.forEach((task) -> assertThat(present.put(task.id(), task)).as("a second row of %s", task.id())
					.isNull());
			}

			Set<String> created = new HashSet<>();
			Set<String> expected = new HashSet<>();
			for (Worker worker : workers) {
				worker.versions.forEach((n, version) -> {
					assertThat(version).isEqualTo(2);
					TaskInfo last = own(worker.thread, n, version);
					created.add(last.id());
					if (!expiring(n)) {
						expected.add(last.id());
						assertThat(present.get(last.id())).as("final state of %s", last.id()).isEqualTo(last);
					}
				});
			}
			for (int k = 0; k < SHARED; k++) {
				String id = "shared-" + k;
				created.add(id);
				expected.add(id);
				assertThat(sharedFinals.get(k)).as("final states written to %s", id)
					.hasSize(THREADS)
					.contains(present.get(id));
			}
			assertThat(present.keySet()).as("tasks left").isEqualTo(expected);
			assertThat(created).hasSize(present.size() + (int) deleted.get());
			assertThat(deleted.get()).isEqualTo(created.stream().filter((id) -> !id.startsWith("shared")).filter(
					(id) -> expiring(Integer.parseInt(id.substring(id.indexOf('-') + 1)))).count());
		}
	}

	private static boolean expiring(int n) {
		return n % 3 == 0;
	}

	/**
	 * Version 0, 1 or 2 of task n of a thread; version 2 is finished, long ago for a third
	 * of the tasks.
	 */
	static TaskInfo own(int thread, int n, int version) {
		TaskStatus status = switch (version) {
			case 0 -> TaskStatus.PENDING;
			case 1 -> TaskStatus.STARTED;
			default -> (n % 2 == 0) ? TaskStatus.FAILED : TaskStatus.SUCCESS;
		};
		Instant createdAt = BASE.plusSeconds(n).plus(thread, ChronoUnit.MICROS);
		return TaskInfo.builder()
			.id("t" + thread + "-" + n)
			.name("load-test")
			.category("load-t" + thread)
			.status(status)
			.createdAt(createdAt)
			.startedAt((version >= 1) ? createdAt.plusSeconds(1) : null)
			.completedAt((version == 2) ? (expiring(n) ? LONG_AGO.plusSeconds(n) : RECENT) : null)
			.elapsedSeconds(version * 1.5)
			.result((version == 2) ? Map.of("n", n, "thread", thread) : null)
			.error((status == TaskStatus.FAILED) ? "task " + n + " failed" : null)
			.retryCount(version)
			.progress(version * 50.0)
			.progressMessage("version " + version)
			.build();
	}

	/**
	 * The state a thread writes to shared task k at the given step; its last one is in
	 * status RETRY.
	 */
	static TaskInfo shared(int k, int thread, int step, boolean last) {
		return TaskInfo.builder()
			.id("shared-" + k)
			.name("load-test")
			.category("load-shared")
			.status(last ? TaskStatus.RETRY : TaskStatus.STARTED)
			.createdAt(BASE.minusSeconds(k))
			.startedAt(BASE)
			.retryCount(step)
			.maxRetries(thread)
			.args(List.of(k, thread, step))
			.kwargs(Map.of("thread", thread, "step", step, "last", last))
			.progressMessage((last ? "last" : "step") + " by t" + thread)
			.build();
	}

	/**
	 * Return whether the task read back is one of the states written, field for field.
	 */
	static boolean isAWrittenState(TaskInfo task) {
		String id = task.id();
		if (id.startsWith("shared-")) {
			int k = Integer.parseInt(id.substring("shared-".length()));
			return task.equals(shared(k, task.maxRetries(), task.retryCount(), task.status() == TaskStatus.RETRY));
		}
		int dash = id.indexOf('-');
		int thread = Integer.parseInt(id.substring(1, dash));
		int n = Integer.parseInt(id.substring(dash + 1));
		return task.equals(own(thread, n, task.retryCount()));
	}

	private static final class Worker implements Runnable {

		private final DuckDbTaskStorage storage;

		private final int thread;

		private final Random random;

		private final Queue<Throwable> failures;

		private final AtomicLong deleted;

		private final Map<Integer, Set<TaskInfo>> sharedFinals;

		/** The last version written of each of this thread's tasks. */
		private final Map<Integer, Integer> versions = new HashMap<>();

		private final List<Integer> unfinished = new ArrayList<>();

		private final int[] sharedSteps = new int[SHARED];

		Worker(DuckDbTaskStorage storage, int thread, Random random, Queue<Throwable> failures, AtomicLong deleted,
				Map<Integer, Set<TaskInfo>> sharedFinals) {
			this.storage = storage;
			this.thread = thread;
			this.random = random;
			this.failures = failures;
			this.deleted = deleted;
			this.sharedFinals = sharedFinals;
		}

		@Override
		public void run() {
			for (int i = 0; i < OPERATIONS; i++) {
				int operation = this.random.nextInt(100);
				try {
					if (operation < 40) {
						advance();
					}
					else if (operation < 48) {
						createBatch();
					}
					else if (operation < 63) {
						int k = this.random.nextInt(SHARED);
						this.storage.saveTask(shared(k, this.thread, this.sharedSteps[k]++, false));
					}
					else if (operation < 78) {
						readOwn();
					}
					else if (operation < 85) {
						readAny();
					}
					else if (operation < 96) {
						query();
					}
					else {
						this.deleted.addAndGet(this.storage.cleanupOldTasks(RETENTION));
					}
				}
				catch (Throwable ex) {
					this.failures.add(ex);
				}
			}
			try {
				while (!this.unfinished.isEmpty()) {
					advance(this.unfinished.get(0));
				}
				List<Integer> order = new ArrayList<>();
				for (int k = 0; k < SHARED; k++) {
					order.add(k);
				}
				Collections.shuffle(order, this.random);
				for (int k : order) {
					TaskInfo last = shared(k, this.thread, this.sharedSteps[k]++, true);
					this.storage.saveTask(last);
					this.sharedFinals.computeIfAbsent(k, (key) -> ConcurrentHashMap.newKeySet()).add(last);
				}
			}
			catch (Throwable ex) {
				this.failures.add(ex);
			}
		}

		private void advance() {
			if (this.unfinished.isEmpty() || this.random.nextInt(3) == 0) {
				int n = this.versions.size();
				this.storage.saveTask(own(this.thread, n, 0));
				this.versions.put(n, 0);
				this.unfinished.add(n);
			}
			else {
				advance(this.unfinished.get(this.random.nextInt(this.unfinished.size())));
			}
		}

		private void advance(int n) {
			int version = this.versions.get(n) + 1;
			this.storage.saveTask(own(this.thread, n, version));
			this.versions.put(n, version);
			if (version == 2) {
				this.unfinished.remove(Integer.valueOf(n));
			}
		}

		private void createBatch() {
			List<TaskInfo> batch = new ArrayList<>();
			int first = this.versions.size();
			int size = 1 + this.random.nextInt(4);
			for (int n = first; n < first + size; n++) {
				batch.add(own(this.thread, n, 0));
			}
			this.storage.saveTasks(batch);
			for (int n = first; n < first + size; n++) {
				this.versions.put(n, 0);
				this.unfinished.add(n);
			}
		}

		/**
		 * A thread reads back exactly what it wrote last, unless cleanup has deleted it.
		 */
		private void readOwn() {
			if (this.versions.isEmpty()) {
				return;
			}
			int n = this.random.nextInt(this.versions.size());
			int version = this.versions.get(n);
			TaskInfo last = own(this.thread, n, version);
			Optional<TaskInfo> read = this.storage.getTask(last.id());
			if (version == 2 && expiring(n) && read.isEmpty()) {
				return;
			}
			assertThat(read).as("read back of %s", last.id()).contains(last);
		}

		private void readAny() {
			String id = (this.random.nextBoolean()) ? "shared-" + this.random.nextInt(SHARED)
					: "t" + this.random.nextInt(THREADS) + "-" + this.random.nextInt(40);
			this.storage.getTask(id).ifPresent((task) -> {
				assertThat(task.id()).isEqualTo(id);
				assertThat(isAWrittenState(task)).as("%s is a state that was written", task).isTrue();
			});
		}

		private void query() {
			String category = switch (this.random.nextInt(3)) {
				case 0 -> "load-t" + this.random.nextInt(THREADS);
				case 1 -> "load-shared";
				default -> null;
			};
			TaskStatus status = this.random.nextBoolean() ? null
					: TaskStatus.values()[this.random.nextInt(TaskStatus.values().length)];
			List<TaskInfo> page = this.storage.getTasks(category, status, 1 + this.random.nextInt(50),
					this.random.nextInt(50));
			Set<String> ids = new HashSet<>();
			for (TaskInfo task : page) {
				assertThat(ids.add(task.id())).as("%s appears once in the page", task.id()).isTrue();
				if (category != null) {
					assertThat(task.category()).isEqualTo(category);
				}
				if (status != null) {
					assertThat(task.status()).isEqualTo(status);
				}
				assertThat(isAWrittenState(task)).as("%s is a state that was written", task).isTrue();
			}
			for (int i = 1; i < page.size(); i++) {
				assertThat(page.get(i).createdAt()).isBeforeOrEqualTo(page.get(i - 1).createdAt());
			}
		}

	}

}
