package dev.gobstopper.tasks.duckdb;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskStorage;
import dev.gobstopper.tasks.TaskStorageException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static dev.gobstopper.tasks.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * What the storage does when its own threads fail, stall or die: merges that fail, a
 * writer or maintenance thread that ends, a statement that never returns. Faults are
 * injected with the engine's test hooks, since nothing else produces them on demand.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(OutputCaptureExtension.class)
class DuckDbTaskStorageFaultTests {

	/** Long enough for any bounded wait of these tests to end, short of a hang. */
	private static final Duration BOUND = Duration.ofSeconds(30);

	@TempDir
	Path dir;

	private final ExecutorService executor = Executors.newCachedThreadPool();

	private final List<Gate> gates = new ArrayList<>();

	@AfterEach
	void releaseEverything() {
		this.gates.forEach(Gate::open);
		this.executor.shutdownNow();
	}

	private DuckDbTaskStorage open(TaskDatabase db, Duration timeout) {
		return DuckDbTaskStorage.builder(db.dataSource()).shutdownTimeout(timeout).build();
	}

	@Test
	void savesBeyondTheBacklogBoundAreRefusedWhileMergesFailNamingTheMergeFailureAndNothingIsWritten() {
		TaskDatabase db = TaskDatabase.in(this.dir);
		try (DuckDbTaskStorage storage = open(db, BOUND)) {
			storage.limitBacklog(5, Duration.ofHours(1));
			storage.beforeMerge(() -> {
				throw new IllegalStateException("the disk is on fire");
			});
			for (int i = 0; i < 6; i++) {
				storage.saveTask(task("accepted-" + i).build());
			}
			TaskDatabase.await("a merge to fail", () -> storage.health().failingSince() != null);
			assertThatExceptionOfType(TaskStorageException.class)
				.isThrownBy(() -> storage.saveTask(task("refused").build()))
				.withMessageContaining("Nothing was saved")
				.withMessageContaining("merges of the journal tasks_journal into tasks are failing")
				.withMessageContaining("the disk is on fire")
				.withCauseInstanceOf(IllegalStateException.class);
			assertThatExceptionOfType(TaskStorageException.class)
				.isThrownBy(() -> storage.saveTasks(List.of(task("refused-in-batch").build())))
				.withMessageContaining("the disk is on fire");
			assertThat(storage.getTask("refused")).isEmpty();
			assertThat(storage.getTask("refused-in-batch")).isEmpty();
			assertThat(db.count("SELECT count(*) FROM tasks_journal WHERE id LIKE 'refused%'")).isZero();
			storage.beforeMerge(() -> {
			});
			TaskDatabase.await("merges to work again", () -> storage.backlog() == 0);
			storage.saveTask(task("accepted-again").build());
			assertThat(storage.getTask("accepted-again")).isPresent();
		}
	}

	@Test
	void savesAreRefusedOnceTheOldestUnmergedSaveIsOlderThanTheBound() {
		TaskDatabase db = TaskDatabase.in(this.dir);
		try (DuckDbTaskStorage storage = open(db, BOUND)) {
			storage.limitBacklog(1_000_000, Duration.ofMillis(300));
			storage.beforeMerge(() -> {
				throw new IllegalStateException("merges fail on purpose");
			});
			storage.saveTask(task("first").build());
			TaskDatabase.await("saves to be refused", () -> {
				try {
					storage.saveTask(task("probe").build());
					return false;
				}
				catch (TaskStorageException ex) {
					assertThat(ex).hasMessageContaining("merges fail on purpose")
						.hasMessageContaining("the oldest for");
					return true;
				}
			});
		}
	}

	@Test
	void aSaveBeyondTheBoundWaitsForMergesToCatchUpAndThenSucceeds() throws Exception {
		TaskDatabase db = TaskDatabase.in(this.dir);
		try (DuckDbTaskStorage storage = open(db, BOUND)) {
			storage.limitBacklog(3, Duration.ofHours(1));
			Gate merges = gate();
			storage.beforeMerge(merges::pass);
			for (int i = 0; i < 4; i++) {
				storage.saveTask(task("early-" + i).build());
			}
			merges.awaitEntered();
			Future<?> waiting = this.executor.submit(() -> storage.saveTask(task("waits").build()));
			Thread.sleep(300);
			assertThat(waiting).as("a save while merges are behind").isNotDone();
			assertThat(db.count("SELECT count(*) FROM tasks_journal WHERE id = 'waits'")).isZero();
			merges.open();
			waiting.get(BOUND.toSeconds(), TimeUnit.SECONDS);
			assertThat(storage.getTask("waits")).isPresent();
		}
	}

	@Test
	void aFailingMergeIsRetriedWithGrowingDelaysNotAtEachCommitAndLoggedOnceWhenItStartsAndOnceWhenItClears(
			CapturedOutput output) throws Exception {
		TaskDatabase db = TaskDatabase.in(this.dir);
		try (DuckDbTaskStorage storage = open(db, BOUND)) {
			List<Long> attempts = new ArrayList<>();
			AtomicBoolean failing = new AtomicBoolean(true);
			storage.beforeMerge(() -> {
				if (failing.get()) {
					synchronized (attempts) {
						attempts.add(System.nanoTime());
					}
					throw new IllegalStateException("merge failing on purpose");
				}
			});
			long start = System.nanoTime();
			int batches = 0;
			// Single saves and batches large enough to ask for an immediate merge each, for 3 s
			// and until the fifth attempt, however late a busy machine runs it, up to a minute
			while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3) || (attemptsIn(attempts) < 5
					&& System.nanoTime() - start < TimeUnit.MINUTES.toNanos(1))) {
				storage.saveTask(task("single-" + batches).build());
				if (batches < 10) {
					List<TaskInfo> batch = new ArrayList<>();
					for (int i = 0; i < 6_000; i++) {
						batch.add(task("batch-" + batches + "-" + i).build());
					}
					storage.saveTasks(batch);
				}
				batches++;
				Thread.sleep(10);
			}
			List<Long> seen;
			synchronized (attempts) {
				seen = new ArrayList<>(attempts);
			}
			// 100, 200, 400, 800 and 1600 ms apart: at most 6 in 3 s, some slack for the first;
			// ten batches that each ask for an immediate merge add none
			assertThat(seen).as("merge attempts in 3 s of commits").hasSizeBetween(5, 8);
			// A retry never runs early; the fifth attempt comes at least 400 ms after the
			// fourth even if an immediate merge already queued made an extra first attempt
			int last = seen.size() - 1;
			assertThat(Duration.ofNanos(seen.get(last) - seen.get(last - 1))).as("the last delay")
				.isGreaterThanOrEqualTo(Duration.ofMillis(400));
			failing.set(false);
			TaskDatabase.await("merges to work again", () -> storage.health().failingSince() == null);
			TaskDatabase.await("the backlog to be merged", () -> storage.backlog() == 0);
		}
		assertThat(occurrences(output.getAll(), "Could not merge the journal tasks_journal into tasks")).isOne();
		assertThat(output.getAll()).contains("java.lang.IllegalStateException: merge failing on purpose")
			.contains("at dev.gobstopper.tasks.duckdb.TableMaintenance.merge");
		assertThat(occurrences(output.getAll(), "java.lang.IllegalStateException: merge failing on purpose")).isOne();
		assertThat(occurrences(output.getAll(), "Merging the journal tasks_journal into tasks works again")).isOne();
	}

	@Test
	void aSaveCommittedWhileTheRetryOfAFailedMergeRunsIsMergedAfterIt() {
		TaskDatabase db = TaskDatabase.in(this.dir);
		try (DuckDbTaskStorage storage = open(db, BOUND)) {
			AtomicBoolean failing = new AtomicBoolean(true);
			AtomicBoolean savedDuringRetry = new AtomicBoolean();
			storage.beforeMerge(() -> {
				if (failing.get()) {
					throw new IllegalStateException("merge failing on purpose");
				}
				// The retry has taken the rows it merges: this one comes after them
				if (savedDuringRetry.compareAndSet(false, true)) {
					storage.saveTask(task("during").build());
				}
			});
			storage.saveTask(task("before").build());
			TaskDatabase.await("merges to fail", () -> storage.health().failingSince() != null);
			failing.set(false);
			TaskDatabase.await("the backlog to be merged", () -> storage.backlog() == 0);
			db.awaitJournalMerged();
			assertThat(storage.getTask("during")).isPresent();
		}
	}

	@Test
	void aWriterThatDiesFailsTheStorageEveryLaterCallNamingTheCauseAndHealthReportsIt() {
		TaskDatabase db = TaskDatabase.in(this.dir);
		try (DuckDbTaskStorage storage = open(db, BOUND)) {
			storage.saveTask(task("before").build());
			storage.beforeJournalCommit(() -> {
				throw new OutOfMemoryError("writer dies on purpose");
			});
			assertThatExceptionOfType(TaskStorageException.class)
				.isThrownBy(() -> storage.saveTask(task("last").build()))
				.withMessageContaining("may or may not be saved")
				.withMessageContaining("writer dies on purpose");
			assertEveryCallIsRefusedNaming(storage, "writer dies on purpose");
			assertThat(storage.health().failure()).contains("journal writer").contains("writer dies on purpose");
		}
		try (DuckDbTaskStorage reopened = open(db, BOUND)) {
			assertThat(reopened.getTask("before")).isPresent();
		}
	}

	@Test
	void aSaveWaitingForMergesFailsAtOnceWhenTheMaintenanceThreadDiesNamingTheCause() throws Exception {
		TaskDatabase db = TaskDatabase.in(this.dir);
		try (DuckDbTaskStorage storage = open(db, Duration.ofMinutes(5))) {
			storage.limitBacklog(3, Duration.ofHours(1));
			Gate merges = gate();
			storage.beforeMerge(() -> {
				merges.pass();
				throw new StackOverflowError("maintenance dies on purpose");
			});
			for (int i = 0; i < 4; i++) {
				storage.saveTask(task("early-" + i).build());
			}
			merges.awaitEntered();
			Future<?> waiting = this.executor.submit(() -> storage.saveTask(task("waits").build()));
			Thread.sleep(300);
			assertThat(waiting).as("a save while merges are behind").isNotDone();
			merges.open();
			assertThat(failure(waiting)).isInstanceOf(TaskStorageException.class)
				.hasMessageContaining("Nothing was saved")
				.hasMessageContaining("maintenance dies on purpose");
			assertThat(db.count("SELECT count(*) FROM tasks_journal WHERE id = 'waits'")).isZero();
			storage.beforeMerge(() -> {
			});
		}
	}

	@Test
	void aMaintenanceThreadThatDiesFailsTheStorageEveryLaterCallNamingTheCauseAndHealthReportsIt() {
		TaskDatabase db = TaskDatabase.in(this.dir);
		try (DuckDbTaskStorage storage = open(db, BOUND)) {
			storage.beforeMerge(() -> {
				throw new StackOverflowError("maintenance dies on purpose");
			});
			storage.saveTask(task("saved").build());
			TaskDatabase.await("the storage to fail", () -> storage.health().failure() != null);
			assertThat(storage.health().failure()).contains("maintenance thread")
				.contains("maintenance dies on purpose");
			assertEveryCallIsRefusedNaming(storage, "maintenance dies on purpose");
			storage.beforeMerge(() -> {
			});
		}
		try (DuckDbTaskStorage reopened = open(db, BOUND)) {
			assertThat(reopened.getTask("saved")).isPresent();
		}
	}

	@Test
	void aSaveBehindAStuckWriterIsNotSavedAndOneTheWriterTookMayOrMayNotBeAndBothSaySoWithinTheTimeout()
			throws Exception {
		TaskDatabase db = TaskDatabase.in(this.dir);
		try (DuckDbTaskStorage storage = open(db, Duration.ofSeconds(2))) {
			storage.saveTask(task("before").build());
			Gate commits = gate();
			storage.beforeJournalCommit(commits::pass);
			Future<?> taken = this.executor.submit(() -> storage.saveTask(task("taken").build()));
			commits.awaitEntered();
			Future<?> queued = this.executor.submit(() -> storage.saveTask(task("queued").build()));
			Future<?> claim = this.executor.submit(() -> storage.claimNext("email", "worker", Duration.ofMinutes(1)));
			assertThat(failure(taken)).isInstanceOf(TaskStorageException.class)
				.hasMessageContaining("Task 'taken' may or may not be saved")
				.hasMessageContaining("the journal writer has been on one commit for");
			assertThat(failure(queued)).isInstanceOf(TaskStorageException.class)
				.hasMessageContaining("Task 'queued' was not saved")
				.hasMessageContaining("longer than the storage's timeout of 2000 ms");
			assertThat(failure(claim)).isInstanceOf(TaskStorageException.class).hasMessageContaining("was not saved");
			// Reads do not wait for the writer
			assertThat(storage.getTask("before")).isPresent();
			assertThat(storage.getTasks(null, TaskStatus.PENDING)).extracting(TaskInfo::id).contains("before");
			commits.open();
			TaskDatabase.await("the taken save to commit", () -> storage.getTask("taken").isPresent());
			storage.saveTask(task("after").build());
			assertThat(storage.getTask("queued")).isEmpty();
			assertThat(storage.getTask("before").orElseThrow().status()).isEqualTo(TaskStatus.PENDING);
		}
	}

	@Test
	void aDeleteBehindAStuckMergeFailsWithinTheTimeoutSayingItDidNotHappen() throws Exception {
		TaskDatabase db = TaskDatabase.in(this.dir);
		try (DuckDbTaskStorage storage = open(db, Duration.ofSeconds(2))) {
			Gate merges = gate();
			storage.beforeMerge(merges::pass);
			storage.saveTask(task("kept").build());
			merges.awaitEntered();
			assertThatExceptionOfType(TaskStorageException.class).isThrownBy(() -> storage.deleteTask("kept"))
				.withMessageContaining("Deleting task 'kept' did not happen")
				.withMessageContaining("the task table maintenance has been merging the journal for");
			assertThat(storage.getTask("kept")).as("read while the merge is stuck").isPresent();
			merges.open();
			TaskDatabase.await("the merge", () -> storage.backlog() == 0);
			assertThat(storage.getTask("kept")).isPresent();
			assertThat(storage.deleteTask("kept")).isTrue();
		}
	}

	@Test
	void closeGivesUpOnAStuckWriterWithinTheTimeoutLeavesItsConnectionOpenAndLosesNothingAcknowledged(
			CapturedOutput output) throws Exception {
		TaskDatabase db = TaskDatabase.in(this.dir);
		DuckDbTaskStorage storage = open(db, Duration.ofSeconds(3));
		Queue<String> acknowledged = new ConcurrentLinkedQueue<>();
		for (int i = 0; i < 100; i++) {
			storage.saveTask(task("acknowledged-" + i).build());
			acknowledged.add("acknowledged-" + i);
		}
		Gate commits = gate();
		storage.beforeJournalCommit(commits::pass);
		Future<?> inFlight = this.executor.submit(() -> storage.saveTask(task("in-flight").build()));
		commits.awaitEntered();
		assertTimeoutPreemptively(BOUND, storage::close);
		assertThat(output.getAll()).contains("gave up after 3000 ms, since the journal writer")
			.contains("saves stay in the journal table tasks_journal for the next start to merge");
		assertThat(failure(inFlight)).hasMessageContaining("may or may not be saved");
		commits.open();
		try (DuckDbTaskStorage reopened = open(db, BOUND)) {
			for (String id : acknowledged) {
				assertThat(reopened.getTask(id)).as(id).isPresent();
			}
			// The writer committed after close, on the connection close left it
			assertThat(reopened.getTask("in-flight")).isPresent();
		}
	}

	@Test
	void closeGivesUpOnAStuckMergeWithinTheTimeoutSayingHowManySavesStayInTheJournalAndLosesNone(
			CapturedOutput output) throws Exception {
		TaskDatabase db = TaskDatabase.in(this.dir);
		DuckDbTaskStorage storage = open(db, Duration.ofSeconds(3));
		Gate merges = gate();
		storage.beforeMerge(merges::pass);
		List<TaskInfo> batch = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			batch.add(task("acknowledged-" + i).build());
		}
		storage.saveTasks(batch);
		merges.awaitEntered();
		assertTimeoutPreemptively(BOUND, storage::close);
		assertThat(output.getAll()).contains("since the task table maintenance (merging the journal for")
			.contains("50 saves stay in the journal table tasks_journal for the next start to merge");
		merges.open();
		try (DuckDbTaskStorage reopened = open(db, BOUND)) {
			for (TaskInfo task : batch) {
				assertThat(reopened.getTask(task.id())).contains(task);
			}
		}
	}

	private static void assertEveryCallIsRefusedNaming(TaskStorage storage, String cause) {
		List<Consumer<TaskStorage>> calls = List.of((s) -> s.saveTask(task("later").build()),
				(s) -> s.saveTasks(List.of(task("later").build())), (s) -> s.saveTaskIfAbsent(task("later").build()),
				(s) -> s.getTask("before"), (s) -> s.getTasks(null, null), (s) -> s.countTasks(null),
				(s) -> s.getTaskSummaries(null, null, 10, 0), (s) -> s.deleteTask("before"),
				(s) -> s.cleanupOldTasks(Duration.ofDays(1)),
				(s) -> s.claimNext("email", "worker", Duration.ofMinutes(1)),
				(s) -> s.renewLease("before", "worker", Duration.ofMinutes(1)), (s) -> s.reclaimExpiredLeases(10));
		for (Consumer<TaskStorage> call : calls) {
			assertThatExceptionOfType(TaskStorageException.class).isThrownBy(() -> call.accept(storage))
				.withMessageContaining("The task storage failed and refuses every call")
				.withMessageContaining(cause);
		}
	}

	private static Throwable failure(Future<?> future) throws InterruptedException {
		try {
			future.get(BOUND.toSeconds(), TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			return ex.getCause();
		}
		catch (TimeoutException ex) {
			throw new AssertionError("The call did not end within " + BOUND, ex);
		}
		throw new AssertionError("The call succeeded");
	}

	private static int attemptsIn(List<Long> attempts) {
		synchronized (attempts) {
			return attempts.size();
		}
	}

	private static int occurrences(String text, String part) {
		int count = 0;
		for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
			count++;
		}
		return count;
	}

	private Gate gate() {
		Gate gate = new Gate();
		this.gates.add(gate);
		return gate;
	}

	/**
	 * Holds the threads that pass it until it is opened, deaf to interrupts as a thread in
	 * a DuckDB statement is.
	 */
	private static final class Gate {

		private final CountDownLatch entered = new CountDownLatch(1);

		private final CountDownLatch opened = new CountDownLatch(1);

		void pass() {
			this.entered.countDown();
			while (true) {
				try {
					this.opened.await();
					return;
				}
				catch (InterruptedException ex) {
					// Deaf to it, as native code is
				}
			}
		}

		void awaitEntered() throws InterruptedException {
			assertThat(this.entered.await(BOUND.toSeconds(), TimeUnit.SECONDS)).as("a thread reached the gate")
				.isTrue();
		}

		void open() {
			this.opened.countDown();
		}

	}

}
