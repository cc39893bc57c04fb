package dev.gobstopper.tasks.duckdb;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskPriority;
import dev.gobstopper.tasks.TaskStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.util.unit.DataSize;

import static dev.gobstopper.tasks.TestTasks.T0;
import static dev.gobstopper.tasks.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tasks saved and read lately are read from memory, and never in a state older than the
 * last one acknowledged: not after a save, a delete or a cleanup, nor while any of them
 * races the reads.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DuckDbTaskStorageCacheTests {

	private static final Instant LONG_AGO = Instant.parse("2000-01-01T00:00:00Z");

	@TempDir
	Path dir;

	private TaskDatabase db;

	private final List<DuckDbTaskStorage> storages = new ArrayList<>();

	private final ExecutorService executor = Executors.newCachedThreadPool();

	@BeforeEach
	void createDatabase() {
		this.db = TaskDatabase.in(this.dir);
	}

	@AfterEach
	void closeStorages() throws InterruptedException {
		this.executor.shutdownNow();
		assertThat(this.executor.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
		this.storages.forEach(DuckDbTaskStorage::close);
	}

	private DuckDbTaskStorage open(DataSize cacheSize) {
		DuckDbTaskStorage storage = DuckDbTaskStorage.builder(this.db.dataSource()).cacheSize(cacheSize).build();
		this.storages.add(storage);
		return storage;
	}

	@Test
	void savedTasksStayInMemoryAfterTheirMergeAndReadTasksAreKept() {
		DuckDbTaskStorage storage = open(DataSize.ofMegabytes(64));
		TaskInfo saved = task("saved").build();
		storage.saveTask(saved);
		this.db.awaitJournalMerged();
		TaskDatabase.await("the merged task to be kept", () -> !storage.recentRows().hasUnmerged());
		assertThat(storage.recentRows().lookup("saved").row()).isNotNull();
		assertThat(storage.getTask("saved")).contains(saved);
		storage.close();

		DuckDbTaskStorage reopened = open(DataSize.ofMegabytes(64));
		assertThat(reopened.recentRows().cachedBytes()).isZero();
		assertThat(reopened.getTask("saved")).contains(saved);
		assertThat(reopened.recentRows().lookup("saved").row()).isNotNull();
		assertThat(reopened.recentRows().cachedBytes()).isPositive();
	}

	@Test
	void theCacheStaysWithinItsSize() {
		DataSize size = DataSize.ofKilobytes(64);
		DuckDbTaskStorage storage = open(size);
		List<TaskInfo> tasks = new ArrayList<>();
		for (int i = 0; i < 1_000; i++) {
			tasks.add(task("bounded-" + i).kwargs(Map.of("i", i)).build());
		}
		storage.saveTasks(tasks);
		this.db.awaitJournalMerged();
		TaskDatabase.await("the merged tasks to be kept", () -> !storage.recentRows().hasUnmerged());
		for (TaskInfo task : tasks) {
			assertThat(storage.getTask(task.id())).contains(task);
			assertThat(storage.recentRows().cachedBytes()).isBetween(1L, size.toBytes());
		}
	}

	@Test
	void aCacheSizeOfZeroKeepsNoReadTasks() {
		DuckDbTaskStorage storage = open(DataSize.ofBytes(0));
		TaskInfo saved = task("uncached").build();
		storage.saveTask(saved);
		assertThat(storage.getTask("uncached")).contains(saved);
		this.db.awaitJournalMerged();
		TaskDatabase.await("the journal to be merged", () -> !storage.recentRows().hasUnmerged());
		assertThat(storage.getTask("uncached")).contains(saved);
		assertThat(storage.recentRows().lookup("uncached").row()).isNull();
		assertThat(storage.recentRows().cachedBytes()).isZero();
	}

	@Test
	void aNegativeCacheSizeIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DuckDbTaskStorage.builder(this.db.dataSource()).cacheSize(DataSize.ofBytes(-1)))
			.withMessageContaining("cacheSize");
	}

	/**
	 * Writers own their ids and change each in turn: the n-th change of an id saves the
	 * task with retry count n if n is even, and deletes it if n is odd. A read must find a
	 * state that the id held at some moment between the read's start and its end: at
	 * least the last change acknowledged before it started, at most the last one begun
	 * before it ended.
	 */
	@ParameterizedTest(name = "cache size {0}")
	@ValueSource(strings = { "64MB", "2KB" })
	void readsRacingSavesAndDeletesFindTheLastAcknowledgedStateOrANewerOne(String cacheSize) throws Exception {
		DuckDbTaskStorage storage = open(DataSize.parse(cacheSize));
		int writers = 3;
		int idsPerWriter = 4;
		int ids = writers * idsPerWriter;
		AtomicLongArray begun = new AtomicLongArray(ids);
		AtomicLongArray acknowledged = new AtomicLongArray(ids);
		for (int i = 0; i < ids; i++) {
			begun.set(i, -1);
			acknowledged.set(i, -1);
		}
		AtomicBoolean stop = new AtomicBoolean();
		Queue<String> wrong = new ConcurrentLinkedQueue<>();
		LongAdder found = new LongAdder();
		LongAdder missing = new LongAdder();
		List<Future<?>> threads = new ArrayList<>();
		for (int w = 0; w < writers; w++) {
			int writer = w;
			threads.add(this.executor.submit(() -> {
				SplittableRandom random = new SplittableRandom(writer);
				for (int change = 0; !stop.get(); change++) {
					int id = writer * idsPerWriter + random.nextInt(idsPerWriter);
					long n = begun.get(id) + 1;
					begun.set(id, n);
					if (n % 2 == 0) {
						TaskInfo state = versioned(id, n);
						if (random.nextBoolean()) {
							storage.saveTask(state);
						}
						else {
							storage.saveTasks(List.of(state));
						}
					}
					else {
						storage.deleteTask(racedId(id));
					}
					acknowledged.set(id, n);
					if (random.nextInt(20) == 0) {
						// Now and then let a merge run between the changes
						Thread.sleep(random.nextInt(150));
					}
				}
				return null;
			}));
		}
		for (int r = 0; r < 4; r++) {
			int reader = r;
			threads.add(this.executor.submit(() -> {
				SplittableRandom random = new SplittableRandom(100 + reader);
				while (!stop.get()) {
					int id = random.nextInt(ids);
					long before = acknowledged.get(id);
					Optional<TaskInfo> read = storage.getTask(racedId(id));
					long after = begun.get(id);
					if (read.isPresent()) {
						found.increment();
						long n = read.get().retryCount();
						if (n % 2 != 0 || n < before || n > after || !read.get().equals(versioned(id, n))) {
							wrong.add(racedId(id) + ": read change " + n + " after change " + before
									+ " was acknowledged and before change " + after + " began");
						}
					}
					else {
						missing.increment();
						if (before >= 0 && before % 2 == 0 && after == before) {
							wrong.add(racedId(id) + ": read nothing while change " + before + " saved it");
						}
					}
				}
				return null;
			}));
		}
		Thread.sleep(6_000);
		stop.set(true);
		for (Future<?> thread : threads) {
			thread.get(1, TimeUnit.MINUTES);
		}
		assertThat(wrong).isEmpty();
		assertThat(found.sum()).isPositive();
		assertThat(missing.sum()).isPositive();
	}

	private static String racedId(int id) {
		return "raced-" + id;
	}

	private static TaskInfo versioned(int id, long change) {
		return task(racedId(id)).createdAt(T0.plusSeconds(change))
			.retryCount((int) change)
			.progressMessage("change " + change)
			.build();
	}

	/**
	 * Finished tasks that a cleanup deletes are read into memory first; readers keep
	 * reading them while the cleanup runs. A read that begins after the cleanup returned
	 * must find none of them, and no read finds a task in another state than it was saved.
	 * Enough tasks expire for the cleanup to rebuild the table, or few enough for it to
	 * delete them; with a cache that holds a few tasks, most reads race the cleanup in the
	 * database.
	 */
	@ParameterizedTest(name = "{0} expired tasks, cache size {1}")
	@CsvSource({ "200, 64MB", "12000, 64MB", "200, 4KB" })
	void readsRacingACleanupNeverFindATaskAfterItWasDeleted(int expiredCount, String cacheSize) throws Exception {
		DuckDbTaskStorage storage = open(DataSize.parse(cacheSize));
		List<TaskInfo> expired = new ArrayList<>();
		List<TaskInfo> live = new ArrayList<>();
		for (int i = 0; i < expiredCount; i++) {
			expired.add(task("expired-" + i).status(TaskStatus.SUCCESS)
				.createdAt(LONG_AGO)
				.completedAt(LONG_AGO.plusSeconds(i))
				.build());
		}
		for (int i = 0; i < 1_000; i++) {
			live.add(task("live-" + i).status((i % 2 == 0) ? TaskStatus.PENDING : TaskStatus.SUCCESS)
				.completedAt((i % 2 == 0) ? null : Instant.now())
				.build());
		}
		storage.saveTasks(expired);
		storage.saveTasks(live);
		this.db.awaitJournalMerged();
		TaskDatabase.await("the merged tasks to be kept", () -> !storage.recentRows().hasUnmerged());
		expired.forEach((task) -> assertThat(storage.getTask(task.id())).contains(task));
		AtomicLong cleanedUpAt = new AtomicLong(Long.MAX_VALUE);
		AtomicBoolean stop = new AtomicBoolean();
		Queue<String> wrong = new ConcurrentLinkedQueue<>();
		List<Future<?>> readers = new ArrayList<>();
		for (int r = 0; r < 4; r++) {
			int reader = r;
			readers.add(this.executor.submit(() -> {
				SplittableRandom random = new SplittableRandom(reader);
				while (!stop.get()) {
					boolean readExpired = random.nextInt(4) != 0;
					List<TaskInfo> tasks = readExpired ? expired : live;
					TaskInfo task = tasks.get(random.nextInt(tasks.size()));
					long start = System.nanoTime();
					Optional<TaskInfo> read = storage.getTask(task.id());
					if (read.isPresent() && !read.get().equals(task)) {
						wrong.add(task.id() + " read in another state than saved: " + read.get());
					}
					if (readExpired && read.isPresent() && start > cleanedUpAt.get()) {
						wrong.add(task.id() + " read after the cleanup had deleted it");
					}
					if (!readExpired && read.isEmpty()) {
						wrong.add(task.id() + " was not found, though the cleanup keeps it");
					}
				}
				return null;
			}));
		}
		Thread.sleep(200);
		assertThat(storage.cleanupOldTasks(Duration.ofDays(1))).isEqualTo(expiredCount);
		cleanedUpAt.set(System.nanoTime());
		Thread.sleep(500);
		stop.set(true);
		for (Future<?> reader : readers) {
			reader.get(1, TimeUnit.MINUTES);
		}
		assertThat(wrong).isEmpty();
		expired.forEach((task) -> assertThat(storage.getTask(task.id())).isEmpty());
		live.forEach((task) -> assertThat(storage.getTask(task.id())).contains(task));
	}

	/**
	 * A seeded random sequence of saves, batches, deletes, cleanups, claims and reads over
	 * a few ids, while the maintenance thread merges the journal whenever it is due: after
	 * every step, each id reads as a map of the same calls holds it.
	 */
	@ParameterizedTest(name = "seed {0}, cache size {1}")
	@CsvSource({ "1, 64MB", "2, 2KB", "3, 0B" })
	void aRandomSequenceOfCallsReadsAsAMapOfTheSameCallsHoldsIt(long seed, String cacheSize) throws Exception {
		DuckDbTaskStorage storage = open(DataSize.parse(cacheSize));
		SplittableRandom random = new SplittableRandom(seed);
		List<String> ids = List.of("t0", "t1", "t2", "t3", "t4", "t5");
		Map<String, TaskInfo> model = new HashMap<>();
		for (int step = 0; step < 500; step++) {
			String id = ids.get(random.nextInt(ids.size()));
			int call = random.nextInt(100);
			String what;
			if (call < 30) {
				TaskInfo task = randomTask(random, id, step);
				storage.saveTask(task);
				model.put(id, task);
				what = "saveTask " + task;
			}
			else if (call < 45) {
				List<TaskInfo> batch = new ArrayList<>();
				for (int i = random.nextInt(1, 4); i > 0; i--) {
					batch.add(randomTask(random, ids.get(random.nextInt(ids.size())), step));
				}
				storage.saveTasks(batch);
				batch.forEach((task) -> model.put(task.id(), task));
				what = "saveTasks " + batch;
			}
			else if (call < 60) {
				assertThat(storage.deleteTask(id)).as("deleteTask(%s) at step %d", id, step)
					.isEqualTo(model.remove(id) != null);
				what = "deleteTask " + id;
			}
			else if (call < 65) {
				Instant cutoff = Instant.now().minus(Duration.ofDays(1));
				long deleted = model.values()
					.stream()
					.filter((task) -> task.isCompleted() && task.completedAt().isBefore(cutoff))
					.count();
				assertThat(storage.cleanupOldTasks(Duration.ofDays(1))).as("cleanup at step %d", step)
					.isEqualTo((int) deleted);
				model.values().removeIf((task) -> task.isCompleted() && task.completedAt().isBefore(cutoff));
				what = "cleanup";
			}
			else if (call < 75) {
				String category = random.nextBoolean() ? "a" : "b";
				Optional<TaskInfo> expected = model.values()
					.stream()
					.filter((task) -> task.category().equals(category) && task.status() == TaskStatus.PENDING)
					.min(Comparator.comparing(TaskInfo::createdAt)
						.thenComparing(TaskInfo::priority, Comparator.reverseOrder())
						.thenComparing(TaskInfo::id));
				Optional<TaskInfo> claimed = storage.claimNext(category, "worker", Duration.ofMinutes(5));
				assertThat(claimed.map(TaskInfo::id)).as("claimNext(%s) at step %d", category, step)
					.isEqualTo(expected.map(TaskInfo::id));
				claimed.ifPresent((task) -> {
					assertThat(task.status()).isEqualTo(TaskStatus.STARTED);
					assertThat(task.toBuilder()
						.status(TaskStatus.PENDING)
						.startedAt(null)
						.attempt(0)
						.leaseOwner(null)
						.leaseExpiresAt(null)
						.claimedAt(null)
						.lastHeartbeatAt(null)
						.build()).isEqualTo(expected.get());
					model.put(task.id(), task);
				});
				what = "claimNext " + category;
			}
			else if (call < 95) {
				assertThat(storage.getTask(id)).as("getTask(%s) at step %d", id, step)
					.isEqualTo(Optional.ofNullable(model.get(id)));
				what = "getTask " + id;
			}
			else {
				// Let the maintenance thread merge
				Thread.sleep(random.nextInt(50, 250));
				what = "pause";
			}
			for (String each : ids) {
				assertThat(storage.getTask(each)).as("getTask(%s) after step %d: %s", each, step, what)
					.isEqualTo(Optional.ofNullable(model.get(each)));
			}
		}
	}

	private static TaskInfo randomTask(SplittableRandom random, String id, int step) {
		TaskStatus status = List.of(TaskStatus.PENDING, TaskStatus.STARTED, TaskStatus.SUCCESS, TaskStatus.FAILED)
			.get(random.nextInt(4));
		TaskInfo.Builder task = task(id).category(random.nextBoolean() ? "a" : "b")
			.priority(TaskPriority.values()[random.nextInt(TaskPriority.values().length)])
			.status(status)
			.createdAt(T0.plusSeconds(random.nextInt(1_000)))
			.retryCount(step)
			.kwargs(Map.of("step", step));
		if (status.isTerminal()) {
			task.completedAt(random.nextBoolean() ? LONG_AGO.plusSeconds(step) : Instant.now());
		}
		return task.build();
	}

}
