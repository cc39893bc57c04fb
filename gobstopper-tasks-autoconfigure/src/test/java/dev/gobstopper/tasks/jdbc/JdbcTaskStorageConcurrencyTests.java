package dev.gobstopper.tasks.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskStorageException;
import dev.gobstopper.tasks.support.CleanupRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.gobstopper.tasks.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Concurrent callers, in one storage and in two storages on the same table as two
 * instances of an application would be: nobody sees an error, nothing is lost or done
 * twice.
 */
class JdbcTaskStorageConcurrencyTests {

	private static final int THREADS = 16;

	private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

	@RegisterExtension
	final TestDatabase db = new TestDatabase(THREADS);

	private final ExecutorService threads = Executors.newFixedThreadPool(THREADS);

	@AfterEach
	void stopThreads() throws InterruptedException {
		this.threads.shutdownNow();
		assertThat(this.threads.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
	}

	@Test
	void concurrentSavesOfOneIdEndInOneOfTheWrittenStatesWithoutAnError() throws Exception {
		try (JdbcTaskStorage first = this.db.open(); JdbcTaskStorage second = secondInstance()) {
			List<TaskInfo> written = Collections.synchronizedList(new ArrayList<>());
			runTogether(THREADS, (thread) -> {
				JdbcTaskStorage storage = (thread % 2 == 0) ? first : second;
				for (int i = 0; i < 50; i++) {
					TaskInfo version = task("shared").createdAt(NOW)
						.retryCount(thread * 1000 + i)
						.progressMessage("thread " + thread + " save " + i)
						.build();
					storage.saveTask(version);
					written.add(version);
				}
				return null;
			});
			TaskInfo stored = first.getTask("shared").orElseThrow();
			assertThat(written).hasSize(THREADS * 50).contains(stored);
			assertThat(second.getTask("shared")).contains(stored);
			assertThat(this.db.count("SELECT count(*) FROM \"" + this.db.table() + "\"")).isOne();
		}
	}

	@Test
	void overlappingBatchesInAnyOrderAllCommitWithoutAnError() throws Exception {
		int ids = 600;
		try (JdbcTaskStorage first = this.db.open(); JdbcTaskStorage second = secondInstance()) {
			Map<String, Set<TaskInfo>> written = new HashMap<>();
			List<List<List<TaskInfo>>> batchesPerThread = new ArrayList<>();
			Random random = new Random(7);
			for (int thread = 0; thread < 8; thread++) {
				List<List<TaskInfo>> batches = new ArrayList<>();
				for (int b = 0; b < 15; b++) {
					List<TaskInfo> batch = new ArrayList<>();
					for (int i = 0; i < 250; i++) {
						String id = "task-" + random.nextInt(ids);
						TaskInfo version = task(id).createdAt(NOW).retryCount(thread * 100_000 + b * 1000 + i).build();
						batch.add(version);
						written.computeIfAbsent(id, (key) -> new HashSet<>()).add(version);
					}
					batches.add(batch);
				}
				batchesPerThread.add(batches);
			}
			runTogether(8, (thread) -> {
				JdbcTaskStorage storage = (thread % 2 == 0) ? first : second;
				for (List<TaskInfo> batch : batchesPerThread.get(thread)) {
					storage.saveTasks(batch);
				}
				return null;
			});
			for (Map.Entry<String, Set<TaskInfo>> id : written.entrySet()) {
				assertThat(first.getTask(id.getKey())).get().isIn(id.getValue());
			}
			assertThat(this.db.count("SELECT count(*) FROM \"" + this.db.table() + "\"")).isEqualTo(written.size());
		}
	}

	@Test
	void withinABatchTheLastTaskOfAnIdWins() {
		try (JdbcTaskStorage storage = this.db.open()) {
			TaskInfo last = task("twice").createdAt(NOW).progress(2).build();
			storage.saveTasks(List.of(task("twice").createdAt(NOW).progress(1).build(), task("once").build(), last));
			assertThat(storage.getTask("twice")).contains(last);
			assertThat(this.db.count("SELECT count(*) FROM \"" + this.db.table() + "\"")).isEqualTo(2);
		}
	}

	@Test
	void aSaveTheDatabaseRefusesFailsOnlyItsOwnCaller() throws Exception {
		try (JdbcTaskStorage storage = this.db.open()) {
			// A rule of the database the storage does not know: such saves pass every check
			// and fail only when their group is written
			this.db.jdbc()
				.execute("ALTER TABLE \"" + this.db.table() + "\" ADD CONSTRAINT refuse CHECK (id NOT LIKE 'refused-%')");
			List<String> kept = Collections.synchronizedList(new ArrayList<>());
			List<String> refused = Collections.synchronizedList(new ArrayList<>());
			runTogether(THREADS, (thread) -> {
				for (int i = 0; i < 40; i++) {
					String id = ((i % 10 == 3) ? "refused-" : "kept-") + thread + "-" + i;
					try {
						storage.saveTask(task(id).build());
						kept.add(id);
					}
					catch (TaskStorageException ex) {
						assertThat(ex).hasMessageStartingWith("Task '" + id + "' could not be saved: ")
							.hasMessageContaining("refuse");
						refused.add(id);
					}
				}
				return null;
			});
			assertThat(kept).hasSize(THREADS * 36).allMatch((id) -> id.startsWith("kept-"));
			assertThat(refused).hasSize(THREADS * 4).allMatch((id) -> id.startsWith("refused-"));
			assertThat(this.db.strings("SELECT id FROM \"" + this.db.table() + "\""))
				.containsExactlyInAnyOrderElementsOf(kept);
		}
	}

	@Test
	void aBatchTheDatabaseRefusesIsNotWrittenAtAll() {
		try (JdbcTaskStorage storage = this.db.open()) {
			this.db.jdbc()
				.execute("ALTER TABLE \"" + this.db.table() + "\" ADD CONSTRAINT refuse CHECK (id NOT LIKE 'refused-%')");
			List<TaskInfo> batch = List.of(task("a").build(), task("refused-b").build(), task("c").build());
			assertThatExceptionOfType(TaskStorageException.class).isThrownBy(() -> storage.saveTasks(batch))
				.withMessageStartingWith("A batch of 3 tasks starting with 'a' could not be saved");
			assertThat(storage.getTasks(null, null)).isEmpty();
		}
	}

	@Test
	void claimersTakeEachTaskExactlyOnceUntilNoneIsLeft() throws Exception {
		int tasks = 2_000;
		try (JdbcTaskStorage first = this.db.builder().clock(fixed()).build();
				JdbcTaskStorage second = secondInstance()) {
			List<TaskInfo> pending = new ArrayList<>();
			for (int i = 0; i < tasks; i++) {
				pending.add(task("queued-" + i).category("queue").createdAt(NOW.minusSeconds(i)).build());
			}
			pending.add(task("other-queue").category("elsewhere").createdAt(NOW.minusSeconds(1)).build());
			first.saveTasks(pending);
			List<List<TaskInfo>> claimed = runTogether(THREADS, (thread) -> {
				JdbcTaskStorage storage = (thread % 2 == 0) ? first : second;
				List<TaskInfo> mine = new ArrayList<>();
				for (Optional<TaskInfo> next = storage.claimNext("queue", "worker-" + thread,
						Duration.ofMinutes(5)); next.isPresent(); next = storage.claimNext("queue", "worker-" + thread,
								Duration.ofMinutes(5))) {
					assertThat(next.get().leaseOwner()).isEqualTo("worker-" + thread);
					mine.add(next.get());
				}
				return mine;
			});
			List<String> ids = claimed.stream().flatMap(List::stream).map(TaskInfo::id).toList();
			assertThat(ids).hasSize(tasks).doesNotHaveDuplicates().allMatch((id) -> id.startsWith("queued-"));
			assertThat(this.db.count("SELECT count(*) FROM \"" + this.db.table()
					+ "\" WHERE status = 'started' AND attempt = 1 AND lease_owner LIKE 'worker-%'")).isEqualTo(tasks);
			assertThat(first.getTask("other-queue")).get().extracting(TaskInfo::status).isEqualTo(TaskStatus.PENDING);
		}
	}

	@Test
	void callersWithOneIdempotencyKeyStoreOneTaskAndAllGetItBack() throws Exception {
		try (JdbcTaskStorage first = this.db.open(); JdbcTaskStorage second = secondInstance()) {
			List<TaskInfo> returned = runTogether(THREADS, (thread) -> ((thread % 2 == 0) ? first : second)
				.saveTaskIfAbsent(task("attempt-" + thread).idempotencyKey("one-key").createdAt(NOW).build()));
			assertThat(returned).hasSize(THREADS).containsOnly(returned.get(0));
			assertThat(this.db.count("SELECT count(*) FROM \"" + this.db.table() + "\" WHERE idempotency_key = ?",
					"one-key"))
				.isOne();
			assertThat(first.getTaskByIdempotencyKey("one-key")).contains(returned.get(0));
		}
	}

	@Test
	void callersSavingOneIdWithoutAKeyStoreOneTaskAndAllGetItBack() throws Exception {
		try (JdbcTaskStorage first = this.db.open(); JdbcTaskStorage second = secondInstance()) {
			List<TaskInfo> returned = runTogether(THREADS, (thread) -> ((thread % 2 == 0) ? first : second)
				.saveTaskIfAbsent(task("one-id").createdAt(NOW).retryCount(thread).build()));
			assertThat(returned).hasSize(THREADS).containsOnly(returned.get(0));
			assertThat(first.getTask("one-id")).contains(returned.get(0));
		}
	}

	@Test
	void cleanupDeletesInBatchesAndReturnsTheExactCount() {
		try (JdbcTaskStorage storage = this.db.builder().clock(fixed()).build()) {
			saveOldAndRecentTasks(storage, 23_456);
			assertThat(storage.cleanupOldTasks(Duration.ofDays(30))).isEqualTo(23_456);
			assertThat(this.db.count("SELECT count(*) FROM \"" + this.db.table() + "\"")).isEqualTo(3_000);
			assertThat(storage.cleanupOldTasks(Duration.ofDays(30))).isZero();
		}
	}

	@Test
	void racingCleanupsDeleteEachOldTaskOnceAndTheirCountsAddUp() throws Exception {
		try (JdbcTaskStorage first = this.db.builder().clock(fixed()).build();
				JdbcTaskStorage second = JdbcTaskStorage.builder(this.db.pool(4, null))
					.tableName(this.db.table())
					.clock(fixed())
					.build()) {
			saveOldAndRecentTasks(first, 45_000);
			List<Integer> counts = runTogether(4,
					(thread) -> ((thread % 2 == 0) ? first : second).cleanupOldTasks(Duration.ofDays(30)));
			assertThat(counts.stream().mapToInt(Integer::intValue).sum()).isEqualTo(45_000);
			assertThat(this.db.count("SELECT count(*) FROM \"" + this.db.table() + "\"")).isEqualTo(3_000);
		}
	}

	@Test
	void aScheduledCleanupIsSkippedWhileAnotherSessionHoldsTheLockAndADirectOneStillRuns() throws SQLException {
		try (JdbcTaskStorage storage = this.db.builder().clock(fixed()).build();
				Connection otherSession = this.db.dataSource().getConnection()) {
			saveOldAndRecentTasks(storage, 10);
			long key = JdbcSql.cleanupLockKey("public." + this.db.table());
			assertThat(advisoryLock(otherSession, "pg_try_advisory_lock", key)).isTrue();
			assertThat(storage.cleanupOnSchedule(Duration.ofDays(30))).isEmpty();
			assertThat(storage.lastCleanup()).isEmpty();
			assertThat(this.db.count("SELECT count(*) FROM \"" + this.db.table() + "\"")).isEqualTo(3_010);
			assertThat(storage.cleanupOldTasks(Duration.ofDays(30))).isEqualTo(10);
			assertThat(advisoryLock(otherSession, "pg_advisory_unlock", key)).isTrue();
			saveOldAndRecentTasks(storage, 5);
			assertThat(storage.cleanupOnSchedule(Duration.ofDays(30))).hasValue(5);
			assertThat(storage.lastCleanup()).get().extracting(CleanupRun::deleted).isEqualTo(5);
			// Each round releases the lock when it ends
			assertThat(advisoryLock(otherSession, "pg_try_advisory_lock", key)).isTrue();
		}
	}

	/**
	 * Save the given number of tasks that finished 40 days ago, and 3,000 that are not to
	 * be deleted: finished 10 days ago, or old but unfinished.
	 */
	private void saveOldAndRecentTasks(JdbcTaskStorage storage, int old) {
		List<TaskInfo> tasks = new ArrayList<>();
		TaskStatus[] finished = { TaskStatus.SUCCESS, TaskStatus.FAILED, TaskStatus.CANCELLED };
		String prefix = "run-" + System.nanoTime() + "-";
		for (int i = 0; i < old; i++) {
			Instant completed = NOW.minus(Duration.ofDays(40)).minusSeconds(i);
			tasks.add(task(prefix + "old-" + i).status(finished[i % 3])
				.createdAt(completed.minusSeconds(5))
				.completedAt(completed)
				.build());
		}
		for (int i = 0; i < 1_000; i++) {
			tasks.add(task(prefix + "recent-" + i).status(TaskStatus.SUCCESS)
				.createdAt(NOW.minus(Duration.ofDays(10)))
				.completedAt(NOW.minus(Duration.ofDays(10)))
				.build());
			tasks.add(task(prefix + "running-" + i).status(TaskStatus.STARTED)
				.createdAt(NOW.minus(Duration.ofDays(50)))
				.build());
			tasks.add(task(prefix + "waiting-" + i).status(TaskStatus.RETRY)
				.createdAt(NOW.minus(Duration.ofDays(50)))
				.completedAt(NOW.minus(Duration.ofDays(45)))
				.build());
		}
		storage.saveTasks(tasks);
	}

	private JdbcTaskStorage secondInstance() {
		return JdbcTaskStorage.builder(this.db.pool(THREADS, null)).tableName(this.db.table()).clock(fixed()).build();
	}

	private static Clock fixed() {
		return Clock.fixed(NOW, ZoneOffset.UTC);
	}

	private static boolean advisoryLock(Connection connection, String function, long key) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement("SELECT " + function + "(?)")) {
			statement.setLong(1, key);
			try (ResultSet rs = statement.executeQuery()) {
				rs.next();
				return rs.getBoolean(1);
			}
		}
	}

	/**
	 * Run a task on several threads at once and return what each returned, in the order of
	 * the threads.
	 */
	private <T> List<T> runTogether(int count, ThreadTask<T> task) throws Exception {
		CountDownLatch start = new CountDownLatch(1);
		List<Future<T>> futures = new ArrayList<>();
		for (int t = 0; t < count; t++) {
			int thread = t;
			futures.add(this.threads.submit((Callable<T>) () -> {
				start.await();
				return task.run(thread);
			}));
		}
		start.countDown();
		List<T> results = new ArrayList<>();
		for (Future<T> future : futures) {
			results.add(future.get(3, TimeUnit.MINUTES));
		}
		return results;
	}

	@FunctionalInterface
	private interface ThreadTask<T> {

		T run(int thread) throws Exception;

	}

}
