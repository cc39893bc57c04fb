package dev.gobstopper.tasks;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.gobstopper.tasks.TestTasks.NEWEST_FIRST;
import static dev.gobstopper.tasks.TestTasks.T0;
import static dev.gobstopper.tasks.TestTasks.fullTask;
import static dev.gobstopper.tasks.TestTasks.leasedTask;
import static dev.gobstopper.tasks.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The contract of {@link TaskStorage}, run against every store.
 * <p>
 * A store's subclass says only how to open a storage on a fresh, empty database, how to
 * close it and open it again on the same database, and how to close it. The tests use
 * nothing but the {@link TaskStorage} API, so each states what any store must do. "Now"
 * is the {@link #clock test clock}, which stands still unless a test moves it.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
public abstract class TaskStorageContractTests {

	/** The time the test clock starts at. */
	protected static final Instant NOW = Instant.parse("2026-01-15T10:00:00.654321Z");

	private static final Duration MARGIN = Duration.ofHours(1);

	private static final int THREADS = 16;

	private static final int SAVES_PER_THREAD = 500;

	private static final int OWN_IDS_PER_THREAD = 20;

	private static final int SHARED_IDS = 10;

	protected final TestClock clock = new TestClock(NOW);

	protected TaskStorage storage;

	/** The last state saved of every task, in the order first saved. */
	private final Map<String, TaskInfo> saved = new LinkedHashMap<>();

	/** Every task of the bad-input tests, before the bad call. */
	private List<TaskInfo> before = List.of();

	/**
	 * Open a storage on a fresh, empty database. Called once before each test.
	 * @param clock the clock the storage must take "now" from
	 * @return the storage
	 */
	protected abstract TaskStorage openStorage(Clock clock);

	/**
	 * Close a storage opened by {@link #openStorage} or by this method, and open a new one
	 * on the same database, as an application does when it restarts.
	 * @param storage the storage to close
	 * @param clock the clock the new storage must take "now" from
	 * @return the new storage
	 */
	protected abstract TaskStorage reopenStorage(TaskStorage storage, Clock clock);

	/**
	 * Close a storage opened by {@link #openStorage} or {@link #reopenStorage}. Called
	 * after each test.
	 * @param storage the storage to close
	 */
	protected abstract void closeStorage(TaskStorage storage);

	/**
	 * Return whether the store keeps NaN and Infinity inside JSON values. A store whose
	 * database's JSON types reject them, as PostgreSQL's do, refuses such a task instead,
	 * with an {@link IllegalArgumentException} naming it and the field.
	 * @return {@code true} unless a store says otherwise
	 */
	protected boolean keepsNonFiniteNumbersInJson() {
		return true;
	}

	@BeforeEach
	void openContractStorage() {
		this.storage = openStorage(this.clock);
	}

	@AfterEach
	void closeContractStorage() {
		closeStorage(this.storage);
	}

	private void restart() {
		this.storage = reopenStorage(this.storage, this.clock);
	}

	private List<TaskInfo> allTasks() {
		return this.storage.getTasks(null, null, Integer.MAX_VALUE, 0);
	}

	private List<String> storedIds() {
		return allTasks().stream().map(TaskInfo::id).sorted().toList();
	}

	private static Map<String, Object> mapOf(Object... keysAndValues) {
		Map<String, Object> map = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			map.put((String) keysAndValues[i], keysAndValues[i + 1]);
		}
		return map;
	}

	// Saves

	@Test
	void savingANewIdInsertsTheTask() {
		TaskInfo task = fullTask("t-1");
		this.storage.saveTask(task);
		assertThat(this.storage.getTask("t-1")).contains(task);
		assertThat(allTasks()).containsExactly(task);
		restart();
		assertThat(this.storage.getTask("t-1")).contains(task);
	}

	@Test
	void savingAnExistingIdReplacesEveryColumn() {
		this.storage.saveTask(leasedTask("t-1"));
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
			.attempt(5)
			.maxAttempts(6)
			.idempotencyKey("other-key")
			.notBefore(T0.plusSeconds(1))
			.nextAttemptAt(T0.plusSeconds(2))
			.leaseOwner("other-worker")
			.leaseExpiresAt(T0.plusSeconds(3))
			.claimedAt(T0.plusSeconds(4))
			.lastHeartbeatAt(T0.plusSeconds(5))
			.build();
		this.storage.saveTask(replacement);
		assertThat(this.storage.getTask("t-1")).contains(replacement);
		assertThat(allTasks()).containsExactly(replacement);
		restart();
		assertThat(this.storage.getTask("t-1")).contains(replacement);
	}

	@Test
	void savingAnExistingIdSetsNullableColumnsBackToNull() {
		this.storage.saveTask(leasedTask("t-1"));
		TaskInfo cleared = task("t-1").createdAt(T0).build();
		this.storage.saveTask(cleared);
		assertThat(this.storage.getTask("t-1")).contains(cleared);
		restart();
		assertThat(this.storage.getTask("t-1")).contains(cleared);
	}

	@Test
	void savingAnIdTwiceKeepsTheSecondState() {
		TaskInfo first = fullTask("t-1");
		TaskInfo second = first.toBuilder().status(TaskStatus.SUCCESS).error(null).build();
		this.storage.saveTask(first);
		this.storage.saveTask(second);
		assertThat(this.storage.getTask("t-1")).contains(second);
		assertThat(allTasks()).containsExactly(second);
	}

	@Test
	void saveTasksSavesEveryTaskOfTheBatch() {
		List<TaskInfo> batch = List.of(fullTask("a"), task("b").build(), task("c").status(TaskStatus.STARTED).build());
		this.storage.saveTasks(batch);
		for (TaskInfo task : batch) {
			assertThat(this.storage.getTask(task.id())).contains(task);
		}
		assertThat(allTasks()).containsExactlyInAnyOrderElementsOf(batch);
	}

	@Test
	void saveTasksUpsertsLikeSaveTask() {
		this.storage.saveTask(fullTask("a"));
		TaskInfo updated = task("a").createdAt(T0).build();
		TaskInfo added = task("b").build();
		this.storage.saveTasks(List.of(updated, added));
		assertThat(this.storage.getTask("a")).contains(updated);
		assertThat(this.storage.getTask("b")).contains(added);
		assertThat(allTasks()).hasSize(2);
	}

	@Test
	void saveTasksWritesNothingWhenOneTaskOfTheBatchIsBad() {
		this.storage.saveTask(fullTask("existing"));
		TaskInfo bad = task("bad").result(new NoProperties()).build();
		List<TaskInfo> batch = List.of(task("valid-1").build(), fullTask("existing").toBuilder().retryCount(0).build(),
				bad, task("valid-2").build());
		assertThatIllegalArgumentException().isThrownBy(() -> this.storage.saveTasks(batch))
			.withMessageContaining("bad")
			.withMessageContaining("result");
		assertThat(this.storage.getTask("valid-1")).isEmpty();
		assertThat(this.storage.getTask("valid-2")).isEmpty();
		assertThat(this.storage.getTask("bad")).isEmpty();
		assertThat(this.storage.getTask("existing")).contains(fullTask("existing"));
		assertThat(allTasks()).containsExactly(fullTask("existing"));
	}

	@Test
	void saveTasksKeepsTheLastOccurrenceOfAnIdWithinTheBatch() {
		TaskInfo first = task("a").progress(10).build();
		TaskInfo middle = first.toBuilder().progress(20).build();
		TaskInfo last = first.toBuilder().progress(30).status(TaskStatus.STARTED).build();
		TaskInfo other = task("b").build();
		this.storage.saveTasks(List.of(first, other, middle, last));
		assertThat(this.storage.getTask("a")).contains(last);
		assertThat(this.storage.getTask("b")).contains(other);
		assertThat(allTasks()).hasSize(2);
		restart();
		assertThat(this.storage.getTask("a")).contains(last);
	}

	@Test
	void saveTasksWithAnEmptyBatchWritesNothing() {
		this.storage.saveTasks(List.of());
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
		assertThat(this.storage.getTask("bulk-0")).contains(batch.get(0));
		assertThat(this.storage.getTask("bulk-49999")).contains(batch.get(size - 1));
		assertThat(this.storage.getTask("bulk-31337")).contains(batch.get(31337));
		assertThat(this.storage.getTasks("odd", null, size, 0)).hasSize(size / 2);
		List<TaskInfo> all = this.storage.getTasks(null, null, size + 1, 0);
		assertThat(all).hasSize(size);
		assertThat(all.get(0)).isEqualTo(batch.get(size - 1));
		assertThat(all.get(size - 1)).isEqualTo(batch.get(0));
	}

	@Test
	void aSaveIsReadableAsSoonAsSaveTaskReturns() {
		for (int i = 0; i < 50; i++) {
			TaskInfo task = task("t-" + i).progress(i).createdAt(Instant.now()).build();
			this.storage.saveTask(task);
			assertThat(this.storage.getTask(task.id())).contains(task);
			TaskInfo update = task.toBuilder().status(TaskStatus.STARTED).build();
			this.storage.saveTask(update);
			assertThat(this.storage.getTask(task.id())).contains(update);
		}
	}

	// Reads

	/**
	 * Save tasks in two rounds, the first as one batch, the second task by task (it may
	 * update tasks of the first), then restart if asked to.
	 */
	private void save(Stage stage, List<TaskInfo> first, List<TaskInfo> second) {
		this.storage.saveTasks(first);
		first.forEach((task) -> this.saved.put(task.id(), task));
		for (TaskInfo task : second) {
			this.storage.saveTask(task);
			this.saved.put(task.id(), task);
		}
		if (stage == Stage.REOPENED) {
			restart();
		}
	}

	private List<TaskInfo> expected(@Nullable String category, @Nullable TaskStatus status) {
		return this.saved.values()
			.stream()
			.filter((task) -> category == null || task.category().equals(category))
			.filter((task) -> status == null || task.status() == status)
			.sorted(NEWEST_FIRST)
			.toList();
	}

	/**
	 * Return 40 tasks over three categories and every status, each created a minute after
	 * the one before.
	 */
	private static List<TaskInfo> tasks(String prefix, int from) {
		List<TaskInfo> tasks = new ArrayList<>();
		String[] categories = { "email", "reports", "billing" };
		for (int i = from; i < from + 40; i++) {
			tasks.add(task(prefix + i).category(categories[i % 3])
				.status(TaskStatus.values()[(i / 3) % TaskStatus.values().length])
				.createdAt(T0.plusSeconds(60L * ((i * 7) % 97)))
				.progress(i)
				.build());
		}
		return tasks;
	}

	@ParameterizedTest
	@EnumSource(Stage.class)
	void getTaskReturnsTheSavedTask(Stage stage) {
		save(stage, List.of(fullTask("old")), List.of(leasedTask("new")));
		assertThat(this.storage.getTask("old")).contains(fullTask("old"));
		assertThat(this.storage.getTask("new")).contains(leasedTask("new"));
	}

	@ParameterizedTest
	@EnumSource(Stage.class)
	void getTaskOfAnUnknownIdIsEmpty(Stage stage) {
		save(stage, List.of(fullTask("old")), List.of(fullTask("new")));
		assertThat(this.storage.getTask("missing")).isEmpty();
		assertThat(this.storage.getTask("OLD")).isEmpty();
		assertThat(this.storage.getTask("ol%")).isEmpty();
		assertThat(this.storage.getTask("x".repeat(TaskLimits.MAX_KEY_LENGTH + 1))).isEmpty();
	}

	@ParameterizedTest
	@EnumSource(Stage.class)
	void getTaskReturnsTheLatestStateOfAnUpdatedTask(Stage stage) {
		TaskInfo original = fullTask("t-1");
		TaskInfo update = original.toBuilder().status(TaskStatus.RETRY).error(null).retryCount(4).build();
		save(stage, List.of(original), List.of(update));
		assertThat(this.storage.getTask("t-1")).contains(update);
	}

	@ParameterizedTest
	@EnumSource(Stage.class)
	void getTasksWithoutFiltersReturnsEveryTaskNewestFirst(Stage stage) {
		save(stage, tasks("a-", 0), tasks("b-", 40));
		List<TaskInfo> tasks = this.storage.getTasks(null, null);
		assertThat(tasks).isEqualTo(expected(null, null)).hasSize(this.saved.size());
		assertThat(tasks).isSortedAccordingTo(NEWEST_FIRST);
	}

	@ParameterizedTest
	@EnumSource(Stage.class)
	void getTasksFiltersByCategory(Stage stage) {
		save(stage, tasks("a-", 0), tasks("b-", 40));
		for (String category : List.of("email", "reports", "billing")) {
			List<TaskInfo> tasks = this.storage.getTasks(category, null);
			assertThat(tasks).isNotEmpty().isEqualTo(expected(category, null));
			assertThat(tasks).allSatisfy((task) -> assertThat(task.category()).isEqualTo(category));
		}
		assertThat(this.storage.getTasks("unknown", null)).isEmpty();
		assertThat(this.storage.getTasks("Email", null)).isEmpty();
	}

	@ParameterizedTest
	@EnumSource(Stage.class)
	void getTasksFiltersByStatus(Stage stage) {
		save(stage, tasks("a-", 0), tasks("b-", 40));
		for (TaskStatus status : TaskStatus.values()) {
			List<TaskInfo> tasks = this.storage.getTasks(null, status);
			assertThat(tasks).isNotEmpty().isEqualTo(expected(null, status));
			assertThat(tasks).allSatisfy((task) -> assertThat(task.status()).isEqualTo(status));
		}
	}

	@ParameterizedTest
	@EnumSource(Stage.class)
	void getTasksFiltersByCategoryAndStatusTogether(Stage stage) {
		save(stage, tasks("a-", 0), tasks("b-", 40));
		for (String category : List.of("email", "reports", "billing")) {
			for (TaskStatus status : TaskStatus.values()) {
				assertThat(this.storage.getTasks(category, status, 1000, 0)).isEqualTo(expected(category, status));
			}
		}
		assertThat(this.storage.getTasks("email", TaskStatus.SUCCESS)).isNotEmpty();
	}

	@ParameterizedTest
	@EnumSource(Stage.class)
	void aTaskUpdatedOutOfAFilterIsNoLongerListedUnderIt(Stage stage) {
		TaskInfo pending = task("moved").category("email").status(TaskStatus.PENDING).createdAt(T0).build();
		TaskInfo moved = pending.toBuilder().category("reports").status(TaskStatus.SUCCESS).build();
		save(stage, List.of(pending, task("stays").createdAt(T0).build()), List.of(moved));
		assertThat(this.storage.getTasks("email", null)).extracting(TaskInfo::id).containsExactly("stays");
		assertThat(this.storage.getTasks(null, TaskStatus.PENDING)).extracting(TaskInfo::id).doesNotContain("moved");
		assertThat(this.storage.getTasks("reports", TaskStatus.SUCCESS)).containsExactly(moved);
		assertThat(this.storage.getTasks(null, null)).filteredOn((task) -> task.id().equals("moved"))
			.containsExactly(moved);
	}

	@ParameterizedTest
	@EnumSource(Stage.class)
	void getTasksListsAnUpdatedTaskOnceInItsLatestState(Stage stage) {
		List<TaskInfo> first = tasks("a-", 0);
		List<TaskInfo> updates = first.stream()
			.filter((task) -> task.progress() % 2 == 0)
			.map((task) -> task.toBuilder().progress(task.progress() + 0.5).progressMessage("updated").build())
			.toList();
		save(stage, first, updates);
		List<TaskInfo> tasks = this.storage.getTasks(null, null);
		assertThat(tasks).extracting(TaskInfo::id).doesNotHaveDuplicates();
		assertThat(tasks).isEqualTo(expected(null, null));
		assertThat(tasks).filteredOn((task) -> task.progressMessage().equals("updated")).hasSize(updates.size());
	}

	@ParameterizedTest
	@EnumSource(Stage.class)
	void pagesDoNotOverlapAndCoverEveryTask(Stage stage) {
		save(stage, tasks("a-", 0), tasks("b-", 40));
		List<TaskInfo> all = expected(null, null);
		List<TaskInfo> pages = new ArrayList<>();
		for (int offset = 0; offset < all.size(); offset += 7) {
			List<TaskInfo> page = this.storage.getTasks(null, null, 7, offset);
			assertThat(page).isEqualTo(all.subList(offset, Math.min(offset + 7, all.size())));
			pages.addAll(page);
		}
		assertThat(pages).isEqualTo(all).extracting(TaskInfo::id).doesNotHaveDuplicates();
		assertThat(this.storage.getTasks(null, null, 7, all.size())).isEmpty();
		assertThat(this.storage.getTasks(null, null, 7, Integer.MAX_VALUE)).isEmpty();
	}

	@ParameterizedTest
	@EnumSource(Stage.class)
	void pagesOfAFilteredListDoNotOverlapAndCoverIt(Stage stage) {
		save(stage, tasks("a-", 0), tasks("b-", 40));
		List<TaskInfo> all = expected("email", null);
		List<TaskInfo> pages = new ArrayList<>();
		for (int offset = 0; offset < all.size(); offset += 4) {
			pages.addAll(this.storage.getTasks("email", null, 4, offset));
		}
		assertThat(pages).isEqualTo(all);
	}

	@ParameterizedTest
	@EnumSource(Stage.class)
	void pagesDoNotOverlapWhenTasksShareTheirCreationTime(Stage stage) {
		List<TaskInfo> first = new ArrayList<>();
		List<TaskInfo> second = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			(i % 2 == 0 ? first : second).add(task("same-" + i).createdAt(T0).build());
		}
		save(stage, first, second);
		List<String> ids = new ArrayList<>();
		for (int offset = 0; offset < this.saved.size(); offset += 4) {
			ids.addAll(this.storage.getTasks(null, null, 4, offset).stream().map(TaskInfo::id).toList());
		}
		assertThat(ids).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(this.saved.keySet());
	}

	@ParameterizedTest
	@EnumSource(Stage.class)
	void getTasksWithoutPagingReturnsTheNewestHundred(Stage stage) {
		List<TaskInfo> first = new ArrayList<>();
		List<TaskInfo> second = new ArrayList<>();
		for (int i = 0; i < 130; i++) {
			(i % 3 == 0 ? second : first).add(task("t-" + i).createdAt(T0.plusSeconds(i)).build());
		}
		save(stage, first, second);
		List<TaskInfo> tasks = this.storage.getTasks(null, null);
		assertThat(tasks).hasSize(100).isEqualTo(expected(null, null).subList(0, 100));
		assertThat(tasks).isEqualTo(this.storage.getTasks(null, null, 100, 0));
	}

	@ParameterizedTest
	@EnumSource(Stage.class)
	void aLimitOfZeroReturnsNoTasks(Stage stage) {
		save(stage, tasks("a-", 0), tasks("b-", 40));
		assertThat(this.storage.getTasks(null, null, 0, 0)).isEmpty();
		assertThat(this.storage.getTasks("email", TaskStatus.PENDING, 0, 5)).isEmpty();
	}

	@ParameterizedTest
	@EnumSource(Stage.class)
	void aLimitAboveTheNumberOfTasksReturnsThemAll(Stage stage) {
		save(stage, tasks("a-", 0), tasks("b-", 40));
		assertThat(this.storage.getTasks(null, null, Integer.MAX_VALUE, 0)).isEqualTo(expected(null, null));
		assertThat(this.storage.getTasks(null, null, Integer.MAX_VALUE, 3))
			.isEqualTo(expected(null, null).subList(3, this.saved.size()));
	}

	@ParameterizedTest
	@EnumSource(Stage.class)
	void filterValuesAreTakenLiterally(Stage stage) {
		TaskInfo quoted = task("q").category("it's \"quoted\"; DROP TABLE tasks; --").build();
		TaskInfo wildcard = task("w").category("em%").build();
		save(stage, List.of(task("plain").build()), List.of(quoted, wildcard));
		assertThat(this.storage.getTasks(quoted.category(), null)).containsExactly(quoted);
		assertThat(this.storage.getTasks("em%", null)).containsExactly(wildcard);
		assertThat(this.storage.getTasks("em_il", null)).isEmpty();
		assertThat(this.storage.getTask("plain")).isPresent();
		assertThat(allTasks()).hasSize(3);
	}

	/**
	 * When the tasks read were saved.
	 */
	protected enum Stage {

		/** By this storage, just before the read. */
		SAVED,

		/** By the storage before a restart. */
		REOPENED

	}

	// Deletes

	@Test
	void deleteTaskRemovesATaskAndReturnsTrue() {
		this.storage.saveTasks(List.of(fullTask("gone"), fullTask("kept")));
		assertThat(this.storage.deleteTask("gone")).isTrue();
		assertThat(this.storage.getTask("gone")).isEmpty();
		assertThat(this.storage.getTasks(null, null)).containsExactly(fullTask("kept"));
	}

	@Test
	void deleteTaskOfAnUnknownIdReturnsFalseAndChangesNothing() {
		this.storage.saveTask(fullTask("kept"));
		assertThat(this.storage.deleteTask("unknown")).isFalse();
		assertThat(this.storage.deleteTask("KEPT")).isFalse();
		assertThat(this.storage.deleteTask("%")).isFalse();
		assertThat(this.storage.deleteTask("k".repeat(TaskLimits.MAX_KEY_LENGTH + 1))).isFalse();
		assertThat(this.storage.getTask("kept")).contains(fullTask("kept"));
		assertThat(allTasks()).containsExactly(fullTask("kept"));
	}

	@Test
	void deleteTaskOfADeletedTaskReturnsFalse() {
		this.storage.saveTask(fullTask("gone"));
		assertThat(this.storage.deleteTask("gone")).isTrue();
		assertThat(this.storage.deleteTask("gone")).isFalse();
	}

	@Test
	void deleteTaskRemovesEveryStateOfAnUpdatedTask() {
		this.storage.saveTask(fullTask("updated"));
		this.storage.saveTask(fullTask("updated").toBuilder().status(TaskStatus.SUCCESS).build());
		assertThat(this.storage.deleteTask("updated")).isTrue();
		assertThat(this.storage.getTask("updated")).isEmpty();
		assertThat(this.storage.getTasks(null, TaskStatus.SUCCESS)).isEmpty();
		assertThat(this.storage.getTasks(null, TaskStatus.FAILED)).isEmpty();
	}

	@Test
	void aTaskSavedAgainAfterItsDeletionIsStoredAgain() {
		this.storage.saveTask(fullTask("again"));
		assertThat(this.storage.deleteTask("again")).isTrue();
		TaskInfo second = task("again").build();
		this.storage.saveTask(second);
		assertThat(this.storage.getTask("again")).contains(second);
		assertThat(allTasks()).containsExactly(second);
		restart();
		assertThat(this.storage.getTask("again")).contains(second);
	}

	@Test
	void aDeletedTaskStaysDeletedAfterARestart() {
		this.storage.saveTasks(List.of(fullTask("gone"), fullTask("kept")));
		assertThat(this.storage.deleteTask("gone")).isTrue();
		restart();
		assertThat(this.storage.getTask("gone")).isEmpty();
		assertThat(this.storage.getTask("kept")).contains(fullTask("kept"));
	}

	// Cleanup: only tasks in a terminal status whose completedAt lies before now minus the
	// period are deleted. Completion times lie an hour on either side of the cutoff.

	/**
	 * Save a task of every status completed before the cutoff, one completed after it, and
	 * one not completed, and return the ids of those the cleanup must delete.
	 */
	private List<String> saveEveryStatusAroundTheCutoff(Duration period) {
		Instant cutoff = this.clock.instant().minus(period);
		List<TaskInfo> tasks = new ArrayList<>();
		List<String> expired = new ArrayList<>();
		for (TaskStatus status : TaskStatus.values()) {
			String id = status.value();
			tasks.add(task(id + "-before").status(status).completedAt(cutoff.minus(MARGIN)).build());
			tasks.add(task(id + "-after").status(status).completedAt(cutoff.plus(MARGIN)).build());
			tasks.add(task(id + "-never").status(status).completedAt(null).build());
			if (status.isTerminal()) {
				expired.add(id + "-before");
			}
		}
		this.storage.saveTasks(tasks);
		return expired;
	}

	private static List<String> idsWithout(List<String> all, List<String> deleted) {
		List<String> remaining = new ArrayList<>(all);
		remaining.removeAll(deleted);
		return remaining;
	}

	@Test
	void cleanupDeletesOnlyTasksInATerminalStatusThatCompletedBeforeThePeriod() {
		List<String> expired = saveEveryStatusAroundTheCutoff(Duration.ofDays(30));
		List<String> before = storedIds();
		assertThat(this.storage.cleanupOldTasks(30, 0, 0)).isEqualTo(3);
		assertThat(expired).containsExactlyInAnyOrder("success-before", "failed-before", "cancelled-before");
		assertThat(storedIds()).isEqualTo(idsWithout(before, expired));
		for (String id : expired) {
			assertThat(this.storage.getTask(id)).isEmpty();
		}
		assertThat(this.storage.getTasks(null, null)).hasSize(15);
	}

	@Test
	void cleanupNeverDeletesPendingStartedOrRetryingTasks() {
		saveEveryStatusAroundTheCutoff(Duration.ofDays(1));
		this.storage.cleanupOldTasks(1, 0, 0);
		for (TaskStatus status : List.of(TaskStatus.PENDING, TaskStatus.STARTED, TaskStatus.RETRY)) {
			assertThat(this.storage.getTasks(null, status)).hasSize(3);
		}
		assertThat(this.storage.getTask("pending-before")).isPresent();
		assertThat(this.storage.getTask("started-before")).isPresent();
		assertThat(this.storage.getTask("retry-before")).isPresent();
	}

	@Test
	void cleanupKeepsFinishedTasksWithoutACompletionTime() {
		saveEveryStatusAroundTheCutoff(Duration.ofDays(1));
		this.storage.cleanupOldTasks(0, 0, 1);
		assertThat(this.storage.getTask("success-never")).isPresent();
		assertThat(this.storage.getTask("failed-never")).isPresent();
		assertThat(this.storage.getTask("cancelled-never")).isPresent();
	}

	@Test
	void cleanupJudgesByCompletionTimeNotCreationTime() {
		Instant now = this.clock.instant();
		TaskInfo createdLongAgoCompletedRecently = task("recent").status(TaskStatus.SUCCESS)
			.createdAt(now.minus(Duration.ofDays(400)))
			.completedAt(now.minus(Duration.ofDays(2)))
			.build();
		TaskInfo createdRecentlyCompletedLongAgo = task("old").status(TaskStatus.SUCCESS)
			.createdAt(now)
			.completedAt(now.minus(Duration.ofDays(400)))
			.build();
		this.storage.saveTasks(List.of(createdLongAgoCompletedRecently, createdRecentlyCompletedLongAgo));
		assertThat(this.storage.cleanupOldTasks(7, 0, 0)).isEqualTo(1);
		assertThat(storedIds()).containsExactly("recent");
	}

	@Test
	void cleanupDeletesTasksSavedJustBeforeIt() {
		List<String> expired = saveEveryStatusAroundTheCutoff(Duration.ofDays(30));
		assertThat(this.storage.cleanupOldTasks(30, 0, 0)).isEqualTo(3);
		assertThat(storedIds()).hasSize(15).doesNotContainAnyElementsOf(expired);
		for (String id : expired) {
			assertThat(this.storage.getTask(id)).isEmpty();
		}
	}

	@Test
	void cleanupTakesNowFromTheStoragesClock() {
		List<String> expired = saveEveryStatusAroundTheCutoff(Duration.ofDays(30));
		this.clock.advance(MARGIN.multipliedBy(3));
		assertThat(this.storage.cleanupOldTasks(30, 0, 0)).isEqualTo(6);
		assertThat(storedIds()).hasSize(12).doesNotContainAnyElementsOf(expired);
	}

	@ParameterizedTest(name = "{0} days, {1} months and {2} years keep {3} days")
	@CsvSource({ "1, 1, 1, 396", "0, 2, 0, 60", "0, 0, 2, 730", "10, 0, 0, 10", "5, 3, 0, 95", "0, 1, 1, 395" })
	void periodsAddUpWithThirtyDayMonthsAndThreeHundredSixtyFiveDayYears(int days, int months, int years,
			int keptDays) {
		List<String> expired = saveEveryStatusAroundTheCutoff(Duration.ofDays(keptDays));
		List<String> before = storedIds();
		assertThat(this.storage.cleanupOldTasks(days, months, years)).isEqualTo(3);
		assertThat(storedIds()).isEqualTo(idsWithout(before, expired));
	}

	@Test
	void cleanupReturnsTheNumberOfTasksDeleted() {
		Instant old = this.clock.instant().minus(Duration.ofDays(100));
		List<TaskInfo> tasks = new ArrayList<>();
		for (int i = 0; i < 25; i++) {
			tasks.add(task("done-" + i).status(TaskStatus.SUCCESS).completedAt(old).build());
		}
		this.storage.saveTasks(tasks);
		assertThat(this.storage.cleanupOldTasks(200, 0, 0)).isZero();
		assertThat(this.storage.cleanupOldTasks(50, 0, 0)).isEqualTo(25);
		assertThat(this.storage.cleanupOldTasks(50, 0, 0)).isZero();
		assertThat(allTasks()).isEmpty();
	}

	@Test
	void cleanupWithEveryPeriodZeroDeletesNothing() {
		saveEveryStatusAroundTheCutoff(Duration.ofDays(3650));
		List<String> before = storedIds();
		assertThat(this.storage.cleanupOldTasks(0, 0, 0)).isZero();
		assertThat(this.storage.cleanupOldTasks(Duration.ZERO)).isZero();
		assertThat(storedIds()).isEqualTo(before).hasSize(18);
	}

	@Test
	void cleanupWithADurationDeletesTasksCompletedBeforeNowMinusTheDuration() {
		List<String> expired = saveEveryStatusAroundTheCutoff(Duration.ofHours(6));
		List<String> before = storedIds();
		assertThat(this.storage.cleanupOldTasks(Duration.ofHours(6))).isEqualTo(3);
		assertThat(storedIds()).isEqualTo(idsWithout(before, expired));
	}

	@Test
	void cleanupWithADurationOfDaysMatchesTheSameNumberOfDays() {
		List<String> expired = saveEveryStatusAroundTheCutoff(Duration.ofDays(45));
		assertThat(this.storage.cleanupOldTasks(Duration.ofDays(45))).isEqualTo(3);
		assertThat(storedIds()).doesNotContainAnyElementsOf(expired).hasSize(15);
		assertThat(this.storage.cleanupOldTasks(15, 1, 0)).isZero();
	}

	@Test
	void aPeriodReachingBeforeTheYearOneDeletesNothing() {
		this.storage.saveTask(task("ancient").status(TaskStatus.SUCCESS)
			.createdAt(Instant.parse("0001-01-02T00:00:00Z"))
			.completedAt(Instant.parse("0001-01-02T00:00:00Z"))
			.build());
		assertThat(this.storage.cleanupOldTasks(0, 0, 10_000)).isZero();
		assertThat(this.storage.cleanupOldTasks(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE)).isZero();
		assertThat(this.storage.cleanupOldTasks(Duration.ofSeconds(Long.MAX_VALUE))).isZero();
		assertThat(this.storage.getTask("ancient")).isPresent();
		assertThat(this.storage.cleanupOldTasks(0, 0, 1)).isEqualTo(1);
	}

	@Test
	void cleanupJudgesByTheExactCutoffWhenTheClockIsFinerThanAMicrosecond() {
		this.clock.set(Instant.parse("2026-01-15T10:00:00.000001999Z"));
		// The cutoff is 10:00:00.000001999 the day before: the first completed before it
		this.storage.saveTask(task("before").status(TaskStatus.SUCCESS)
			.completedAt(Instant.parse("2026-01-14T10:00:00.000001Z"))
			.build());
		this.storage.saveTask(task("after").status(TaskStatus.SUCCESS)
			.completedAt(Instant.parse("2026-01-14T10:00:00.000002Z"))
			.build());
		assertThat(this.storage.cleanupOldTasks(Duration.ofDays(1))).isEqualTo(1);
		assertThat(storedIds()).containsExactly("after");
	}

	@ParameterizedTest
	@CsvSource({ "days, -1, 0, 0", "months, 0, -1, 0", "years, 0, 0, -1", "days, -30, 1, 1",
			"years, 1, 1, -2147483648" })
	void aNegativePeriodIsRejectedNamingItAndDeletesNothing(String field, int days, int months, int years) {
		saveEveryStatusAroundTheCutoff(Duration.ofDays(400));
		List<String> before = storedIds();
		assertThatIllegalArgumentException().isThrownBy(() -> this.storage.cleanupOldTasks(days, months, years))
			.withMessageContaining(field);
		assertThat(storedIds()).isEqualTo(before).hasSize(18);
	}

	@Test
	void aNegativeOrMissingRetentionIsRejectedAndDeletesNothing() {
		saveEveryStatusAroundTheCutoff(Duration.ofDays(400));
		List<String> before = storedIds();
		assertThatIllegalArgumentException().isThrownBy(() -> this.storage.cleanupOldTasks(Duration.ofSeconds(-1)))
			.withMessageContaining("retention");
		assertThatIllegalArgumentException().isThrownBy(() -> this.storage.cleanupOldTasks(null))
			.withMessageContaining("retention");
		assertThat(storedIds()).isEqualTo(before).hasSize(18);
	}

	@Test
	void tasksDeletedByCleanupStayDeletedAfterARestart() {
		List<String> expired = saveEveryStatusAroundTheCutoff(Duration.ofDays(30));
		this.storage.cleanupOldTasks(30, 0, 0);
		restart();
		assertThat(storedIds()).hasSize(15).doesNotContainAnyElementsOf(expired);
		assertThat(this.storage.getTasks(null, null)).hasSize(15);
	}

	// Restarts

	@Test
	void everyTaskIsThereAfterARestart() {
		List<TaskInfo> tasks = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			tasks.add(task("t-" + i).createdAt(T0.plusSeconds(i))
				.status(TaskStatus.values()[i % TaskStatus.values().length])
				.result(Map.of("i", i))
				.build());
		}
		this.storage.saveTasks(tasks.subList(0, 100));
		tasks.subList(100, 200).forEach(this.storage::saveTask);
		restart();
		assertThat(this.storage.getTasks(null, null, 1000, 0)).isEqualTo(tasks.stream().sorted(NEWEST_FIRST).toList());
		for (TaskInfo task : tasks) {
			assertThat(this.storage.getTask(task.id())).contains(task);
		}
	}

	@Test
	void savesMadeJustBeforeCloseAreThereAfterARestart() {
		List<TaskInfo> last = new ArrayList<>();
		this.storage.saveTask(fullTask("updated"));
		for (int i = 0; i < 20; i++) {
			TaskInfo task = task("late-" + i).build();
			this.storage.saveTask(task);
			last.add(task);
		}
		TaskInfo update = fullTask("updated").toBuilder().status(TaskStatus.SUCCESS).error(null).build();
		this.storage.saveTask(update);
		last.add(update);
		restart();
		for (TaskInfo task : last) {
			assertThat(this.storage.getTask(task.id())).contains(task);
		}
		assertThat(this.storage.getTasks(null, null)).hasSize(21);
	}

	@Test
	void aStorageCanBeRestartedManyTimes() {
		List<TaskInfo> saved = new ArrayList<>();
		for (int round = 0; round < 5; round++) {
			assertThat(allTasks()).containsExactlyInAnyOrderElementsOf(saved);
			TaskInfo task = task("round-" + round).build();
			this.storage.saveTask(task);
			saved.add(task);
			if (round > 0) {
				TaskInfo update = saved.get(0).toBuilder().progress(round).build();
				this.storage.saveTask(update);
				saved.set(0, update);
			}
			restart();
		}
		assertThat(allTasks()).containsExactlyInAnyOrderElementsOf(saved);
		assertThat(this.storage.getTask("round-0").orElseThrow().progress()).isEqualTo(4);
	}

	// Round trips: values read back equal what was saved, before and after a restart

	private TaskInfo roundTrip(TaskInfo task) {
		this.storage.saveTask(task);
		assertThat(this.storage.getTask(task.id())).contains(task);
		assertThat(this.storage.getTasks(task.category(), task.status())).contains(task);
		restart();
		TaskInfo reopened = this.storage.getTask(task.id()).orElseThrow();
		assertThat(reopened).isEqualTo(task);
		return reopened;
	}

	@Test
	void everyColumnRoundTrips() {
		roundTrip(leasedTask("every-column"));
		roundTrip(fullTask("seed-columns"));
		roundTrip(task("defaults").build());
	}

	@Test
	void nestedMapsAndListsRoundTrip() {
		Object result = mapOf("summary", mapOf("rows", 1200, "files", List.of("a.csv", "b.csv")), "batches",
				List.of(List.of(1, 2, 3), List.of(), List.of(mapOf("id", 7, "tags", List.of("x", mapOf())))),
				"empty", mapOf());
		TaskInfo task = task("nested").result(result)
			.args(List.of(List.of(List.of(List.of("deep"))), mapOf("k", List.of(mapOf("kk", 1)))))
			.kwargs(mapOf("options", mapOf("retry", mapOf("backoff", List.of(1, 2, 4)))))
			.build();
		roundTrip(task);
	}

	@ParameterizedTest
	@ValueSource(strings = { "emoji \uD83D\uDE00\uD83C\uDF89 and a flag \uD83C\uDDEB\uD83C\uDDF7",
			"CJK \u4E2D\u6587\u5B57\u7B26 \u65E5\u672C\u8A9E \uD55C\uAD6D\uC5B4", "combining e\u0301 a\u030A n\u0303",
			"right-to-left \u05E9\u05DC\u05D5\u05DD \u0645\u0631\u062D\u0628\u0627", "zero-width \u200B\u200D\uFEFF",
			"\"double\" and 'single' quotes", "back\\slash \\\\ \\n \\u0041 \\\"", "control \u0000 \u0001 \u001F \u007F",
			"whitespace \t\n\r\f\b", "json-looking {\"a\": [1, 2]} and null", "" })
	void stringsRoundTripInEveryJsonColumn(String text) {
		TaskInfo task = task("text").result(text)
			.args(List.of(text, List.of(text)))
			.kwargs(mapOf(text, text, "nested", mapOf(text, List.of(text))))
			.build();
		roundTrip(task);
	}

	@ParameterizedTest
	@ValueSource(strings = { "emoji \uD83D\uDE00 CJK \u4E2D\u6587 combining e\u0301",
			"\"quotes\" 'quotes' \\backslash\\", "tab\tnewline\ncarriage\rreturn\u0001", "'; DROP TABLE tasks; --" })
	void stringsRoundTripInEveryTextColumn(String text) {
		TaskInfo task = task(text).name(text)
			.category(text)
			.error(text)
			.progressMessage(text)
			.idempotencyKey(text)
			.leaseOwner(text)
			.build();
		roundTrip(task);
	}

	@Test
	void numbersReadBackAsIntegerLongBigIntegerOrDouble() {
		List<Object> numbers = List.of(0, 42, -7, Integer.MAX_VALUE, Integer.MIN_VALUE, 2_147_483_648L, Long.MAX_VALUE,
				Long.MIN_VALUE, new BigInteger("123456789012345678901234567890"),
				new BigInteger("-98765432109876543210"), 3.14, -0.5, 2.0, 0.1, 1e300, -1e-300, Double.MAX_VALUE,
				Double.MIN_VALUE);
		TaskInfo task = task("numbers").result(numbers).args(numbers).kwargs(mapOf("n", numbers)).build();
		TaskInfo read = roundTrip(task);
		assertThat((List<?>) read.result()).extracting((value) -> value.getClass().getSimpleName())
			.containsExactly("Integer", "Integer", "Integer", "Integer", "Integer", "Long", "Long", "Long",
					"BigInteger", "BigInteger", "Double", "Double", "Double", "Double", "Double", "Double", "Double",
					"Double");
	}

	@Test
	void integerColumnsRoundTripTheirExtremes() {
		roundTrip(task("ints").retryCount(Integer.MAX_VALUE)
			.maxRetries(Integer.MAX_VALUE)
			.attempt(Integer.MAX_VALUE)
			.maxAttempts(Integer.MAX_VALUE)
			.build());
	}

	@Test
	void booleansAndNullsInsideListsAndMapsRoundTrip() {
		Map<String, Object> withNulls = new HashMap<>();
		withNulls.put("missing", null);
		withNulls.put("present", true);
		withNulls.put("list", Arrays.asList(null, false, null));
		TaskInfo task = task("nulls").result(Arrays.asList(true, false, null, withNulls))
			.args(Arrays.asList(null, null))
			.kwargs(withNulls)
			.build();
		roundTrip(task);
	}

	@Test
	void scalarResultsRoundTrip() {
		roundTrip(task("string").result("done").build());
		roundTrip(task("int").result(7).build());
		roundTrip(task("double").result(0.25).build());
		roundTrip(task("true").result(true).build());
		roundTrip(task("false").result(false).build());
		roundTrip(task("none").result(null).build());
	}

	@Test
	void nanAndInfinityRoundTripOrAreRefusedWithNothingWritten() {
		List<Object> specials = List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1.5);
		TaskInfo task = task("specials").result(specials)
			.args(List.of(Double.NaN))
			.kwargs(mapOf("inf", Double.POSITIVE_INFINITY, "list", specials))
			.build();
		if (!keepsNonFiniteNumbersInJson()) {
			assertThatIllegalArgumentException().isThrownBy(() -> this.storage.saveTask(task))
				.withMessageContaining("'specials'")
				.withMessageContaining("result");
			assertThatIllegalArgumentException()
				.isThrownBy(() -> this.storage.saveTasks(List.of(fullTask("finite"), task)));
			assertThat(allTasks()).isEmpty();
			return;
		}
		TaskInfo read = roundTrip(task);
		assertThat(read.result()).isEqualTo(List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1.5));
	}

	@Test
	void anObjectResultReadsBackAsAMapOfItsProperties() {
		Report report = new Report("q3", 12, List.of("eu", "us"), new Report.Totals(3.5, null));
		TaskInfo task = task("pojo").result(report).args(List.of(report)).kwargs(mapOf("report", report)).build();
		this.storage.saveTask(task);
		Map<String, Object> expected = mapOf("name", "q3", "pages", 12, "regions", List.of("eu", "us"), "totals",
				mapOf("amount", 3.5, "currency", null));
		TaskInfo read = this.storage.getTask("pojo").orElseThrow();
		assertThat(read.result()).isEqualTo(expected);
		assertThat(read.args()).containsExactly(expected);
		assertThat(read.kwargs()).isEqualTo(mapOf("report", expected));
		assertThat(read).isEqualTo(task.toBuilder()
			.result(expected)
			.args(List.of(expected))
			.kwargs(mapOf("report", expected))
			.build());
		restart();
		assertThat(this.storage.getTask("pojo")).contains(read);
	}

	@Test
	void largeValuesRoundTrip() {
		List<Object> many = new ArrayList<>();
		for (int i = 0; i < 10_000; i++) {
			many.add(mapOf("i", i, "s", "value " + i));
		}
		roundTrip(task("large").result(many).args(List.of("x".repeat(1_000_000))).build());
	}

	@ParameterizedTest
	@ValueSource(strings = { "2025-03-01T12:00:00.123456Z", "2025-03-01T12:00:00Z", "2025-03-01T12:00:00.000001Z",
			"2025-03-01T12:00:00.999999Z", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999Z",
			"1969-12-31T23:59:59.000001Z", "1900-01-01T00:00:00.5Z", "1582-10-04T23:59:59.123456Z",
			"0001-01-01T00:00:00Z", "0001-01-01T00:00:00.000001Z", "2262-04-11T23:47:16.854776Z",
			"9999-12-31T00:00:00Z", "9999-12-31T23:59:59.999999Z" })
	void timestampsRoundTripToTheMicrosecond(String timestamp) {
		Instant instant = Instant.parse(timestamp);
		TaskInfo task = task("ts").status(TaskStatus.SUCCESS)
			.createdAt(instant)
			.startedAt(instant)
			.completedAt(instant)
			.notBefore(instant)
			.nextAttemptAt(instant)
			.leaseExpiresAt(instant)
			.claimedAt(instant)
			.lastHeartbeatAt(instant)
			.build();
		TaskInfo read = roundTrip(task);
		assertThat(read.createdAt()).isEqualTo(instant);
		assertThat(read.startedAt()).isEqualTo(instant);
		assertThat(read.completedAt()).isEqualTo(instant);
		assertThat(read.lastHeartbeatAt()).isEqualTo(instant);
	}

	@Test
	void doublesRoundTripExactly() {
		TaskInfo task = task("doubles").elapsedSeconds(0.1 + 0.2).progress(33.333333333333336).build();
		roundTrip(task);
		assertThat(this.storage.getTask("doubles").orElseThrow().elapsedSeconds()).isEqualTo(0.1 + 0.2);
	}

	/**
	 * A result object, as an application's own type.
	 */
	record Report(String name, int pages, List<String> regions, Totals totals) {

		record Totals(double amount, String currency) {

		}

	}

	// Bad input is refused naming the field, and leaves the storage as it was

	private void saveExisting() {
		this.storage.saveTask(fullTask("existing"));
		this.before = allTasks();
	}

	private void assertRefusedNamingAndNothingWritten(ThrowingCallable call, String... named) {
		assertThatIllegalArgumentException().isThrownBy(call).withMessageContainingAll(named);
		assertThat(allTasks()).isEqualTo(this.before);
		assertThat(this.storage.getTask("existing")).contains(fullTask("existing"));
	}

	/**
	 * A value Jackson cannot write: it has no properties.
	 */
	static final class NoProperties {

	}

	/**
	 * A value Jackson cannot write: it refers to itself.
	 */
	static final class SelfReference {

		public SelfReference getSelf() {
			return this;
		}

	}

	/**
	 * A value Jackson cannot write: reading its property fails.
	 */
	static final class FailingGetter {

		public String getValue() {
			throw new IllegalStateException("no value");
		}

	}

	static Stream<Arguments> unwritableValues() {
		Map<String, Object> values = new LinkedHashMap<>();
		values.put("an object without properties", new NoProperties());
		values.put("an object referring to itself", new SelfReference());
		values.put("an object whose getter fails", new FailingGetter());
		values.put("an unwritable object deep inside", Map.of("nested", List.of(new NoProperties())));
		values.put("a string with a lone high surrogate", "lone surrogate \uD800 in a string");
		values.put("a key with a lone low surrogate", Map.of("key \uDC00", "lone surrogate in a key"));
		values.put("a list with a lone surrogate", Arrays.asList("ok", "\uDBFF"));
		List<Arguments> arguments = new ArrayList<>();
		for (Map.Entry<String, Object> entry : values.entrySet()) {
			String name = entry.getKey();
			Object value = entry.getValue();
			arguments.add(arguments("result", name, (UnaryOperator<TaskInfo.Builder>) (b) -> b.result(value)));
			arguments.add(arguments("args", name, (UnaryOperator<TaskInfo.Builder>) (b) -> b.args(List.of(1, value))));
			arguments
				.add(arguments("kwargs", name, (UnaryOperator<TaskInfo.Builder>) (b) -> b.kwargs(Map.of("v", value))));
		}
		return arguments.stream();
	}

	@ParameterizedTest(name = "{0}: {1}")
	@MethodSource("unwritableValues")
	void saveTaskRefusesAValueThatCannotBeWrittenAsJson(String field, String kind,
			UnaryOperator<TaskInfo.Builder> value) {
		saveExisting();
		TaskInfo task = value.apply(task("bad")).build();
		assertRefusedNamingAndNothingWritten(() -> this.storage.saveTask(task), "bad", field);
		assertThat(this.storage.getTask("bad")).isEmpty();
	}

	@ParameterizedTest(name = "{0}: {1}")
	@MethodSource("unwritableValues")
	void saveTaskRefusesAnUpdateWithAValueThatCannotBeWrittenAsJson(String field, String kind,
			UnaryOperator<TaskInfo.Builder> value) {
		saveExisting();
		TaskInfo update = value.apply(fullTask("existing").toBuilder()).build();
		assertRefusedNamingAndNothingWritten(() -> this.storage.saveTask(update), "existing", field);
	}

	@ParameterizedTest(name = "{0}: {1}")
	@MethodSource("unwritableValues")
	void saveTasksRefusesTheWholeBatchWhenOneValueCannotBeWritten(String field, String kind,
			UnaryOperator<TaskInfo.Builder> value) {
		saveExisting();
		List<TaskInfo> batch = List.of(task("good-1").build(), value.apply(task("bad")).build(),
				fullTask("existing").toBuilder().progress(1).build(), task("good-2").build());
		assertRefusedNamingAndNothingWritten(() -> this.storage.saveTasks(batch), "bad", field);
		assertThat(this.storage.getTask("good-1")).isEmpty();
		assertThat(this.storage.getTask("good-2")).isEmpty();
	}

	@Test
	void saveTaskRefusesNull() {
		saveExisting();
		assertRefusedNamingAndNothingWritten(() -> this.storage.saveTask(null), "task");
	}

	@Test
	void saveTasksRefusesNull() {
		saveExisting();
		assertRefusedNamingAndNothingWritten(() -> this.storage.saveTasks(null), "tasks");
	}

	@Test
	void saveTasksRefusesABatchHoldingNullAndSavesNoneOfIt() {
		saveExisting();
		List<TaskInfo> batch = Arrays.asList(task("good-1").build(), null, task("good-2").build());
		assertRefusedNamingAndNothingWritten(() -> this.storage.saveTasks(batch), "tasks[1]");
		assertThat(this.storage.getTask("good-1")).isEmpty();
	}

	@Test
	void getTaskRefusesANullId() {
		saveExisting();
		assertRefusedNamingAndNothingWritten(() -> this.storage.getTask(null), "taskId");
	}

	@Test
	void deleteTaskRefusesANullId() {
		saveExisting();
		assertRefusedNamingAndNothingWritten(() -> this.storage.deleteTask(null), "taskId");
	}

	@Test
	void idsWithAnUnpairedSurrogateAreRefused() {
		saveExisting();
		assertRefusedNamingAndNothingWritten(() -> this.storage.getTask("existing\uD800"), "taskId");
		assertRefusedNamingAndNothingWritten(() -> this.storage.deleteTask("\uDC00existing"), "taskId");
	}

	@Test
	void getTasksRefusesACategoryWithAnUnpairedSurrogate() {
		saveExisting();
		assertRefusedNamingAndNothingWritten(() -> this.storage.getTasks("reports\uD800", null), "category");
	}

	@Test
	void getTasksRefusesANegativeLimit() {
		saveExisting();
		assertRefusedNamingAndNothingWritten(() -> this.storage.getTasks(null, null, -1, 0), "limit");
		assertRefusedNamingAndNothingWritten(
				() -> this.storage.getTasks("reports", TaskStatus.FAILED, Integer.MIN_VALUE, 0), "limit");
	}

	@Test
	void getTasksRefusesANegativeOffset() {
		saveExisting();
		assertRefusedNamingAndNothingWritten(() -> this.storage.getTasks(null, null, 10, -1), "offset");
		assertRefusedNamingAndNothingWritten(
				() -> this.storage.getTasks(null, TaskStatus.FAILED, 0, Integer.MIN_VALUE), "offset");
	}

	@Test
	void aRefusedSaveDoesNotDisturbTheSavesAfterIt() {
		saveExisting();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.storage.saveTask(task("bad").result(new NoProperties()).build()));
		TaskInfo good = task("good").build();
		this.storage.saveTask(good);
		assertThat(this.storage.getTask("good")).contains(good);
		assertThat(this.storage.getTask("bad")).isEmpty();
		assertThat(allTasks()).hasSize(2);
	}

	// Idempotency

	@Test
	void saveTaskIfAbsentSavesANewTaskAndReturnsIt() {
		TaskInfo task = leasedTask("new").toBuilder().idempotencyKey("order-1").build();
		assertThat(this.storage.saveTaskIfAbsent(task)).isEqualTo(task);
		assertThat(this.storage.getTask("new")).contains(task);
		assertThat(this.storage.getTaskByIdempotencyKey("order-1")).contains(task);
		restart();
		assertThat(this.storage.getTaskByIdempotencyKey("order-1")).contains(task);
	}

	@ParameterizedTest
	@ValueSource(strings = { "order-1", "" })
	void saveTaskIfAbsentReturnsTheTaskAsStoredToTheCallerThatSavedItAsToTheOthers(String key) {
		// A long that fits an int reads back as an int, as JSON does not tell them apart
		TaskInfo task = task("new").idempotencyKey(key.isEmpty() ? null : key)
			.result(mapOf("count", 1L, "ratio", 0.5f))
			.build();
		TaskInfo saved = this.storage.saveTaskIfAbsent(task);
		assertThat(saved.result()).isEqualTo(mapOf("count", 1, "ratio", 0.5));
		assertThat(this.storage.getTask("new")).contains(saved);
		assertThat(this.storage.saveTaskIfAbsent(task)).isEqualTo(saved);
	}

	@Test
	void saveTaskIfAbsentReturnsTheTaskStoredWithTheSameKeyAndWritesNothing() {
		TaskInfo first = task("first").idempotencyKey("order-1").createdAt(T0).build();
		this.storage.saveTask(first);
		TaskInfo second = task("second").idempotencyKey("order-1").createdAt(T0.plusSeconds(1)).progress(5).build();
		assertThat(this.storage.saveTaskIfAbsent(second)).isEqualTo(first);
		assertThat(this.storage.getTask("second")).isEmpty();
		TaskInfo sameIdOtherKey = first.toBuilder().idempotencyKey("order-2").progress(50).build();
		assertThat(this.storage.saveTaskIfAbsent(sameIdOtherKey)).isEqualTo(sameIdOtherKey);
		assertThat(this.storage.getTask("first")).contains(sameIdOtherKey);
		assertThat(this.storage.getTaskByIdempotencyKey("order-1")).isEmpty();
		assertThat(allTasks()).containsExactly(sameIdOtherKey);
	}

	@Test
	void saveTaskIfAbsentWithoutAKeyGoesById() {
		TaskInfo stored = task("t-1").progress(10).build();
		this.storage.saveTask(stored);
		assertThat(this.storage.saveTaskIfAbsent(stored.toBuilder().progress(90).build())).isEqualTo(stored);
		assertThat(this.storage.getTask("t-1")).contains(stored);
		TaskInfo keyed = task("t-2").idempotencyKey("k").build();
		this.storage.saveTask(keyed);
		assertThat(this.storage.saveTaskIfAbsent(keyed.toBuilder().idempotencyKey(null).progress(3).build()))
			.isEqualTo(keyed);
		TaskInfo other = task("t-3").build();
		assertThat(this.storage.saveTaskIfAbsent(other)).isEqualTo(other);
		assertThat(allTasks()).hasSize(3);
	}

	@Test
	void getTaskByIdempotencyKeyReturnsTheNewestByCreationTime() {
		this.storage.saveTasks(List.of(task("older").idempotencyKey("k").createdAt(T0).build(),
				task("newest").idempotencyKey("k").createdAt(T0.plusSeconds(60)).build(),
				task("old").idempotencyKey("k").createdAt(T0.plusSeconds(30)).build(),
				task("other").idempotencyKey("other").createdAt(T0.plusSeconds(90)).build()));
		assertThat(this.storage.getTaskByIdempotencyKey("k")).map(TaskInfo::id).contains("newest");
		this.storage.saveTask(this.storage.getTask("newest").orElseThrow().toBuilder().idempotencyKey(null).build());
		assertThat(this.storage.getTaskByIdempotencyKey("k")).map(TaskInfo::id).contains("old");
		assertThat(this.storage.getTaskByIdempotencyKey("K")).isEmpty();
		assertThat(this.storage.getTaskByIdempotencyKey("missing")).isEmpty();
		assertThat(this.storage.getTaskByIdempotencyKey("k".repeat(TaskLimits.MAX_KEY_LENGTH + 1))).isEmpty();
		restart();
		assertThat(this.storage.getTaskByIdempotencyKey("k")).map(TaskInfo::id).contains("old");
	}

	@Test
	void concurrentSavesWithOneKeyStoreOneTaskAndAllGetItBack() throws Exception {
		for (int round = 0; round < 5; round++) {
			String key = "race-" + round;
			List<TaskInfo> returned = onThreads(THREADS, (thread) -> this.storage
				.saveTaskIfAbsent(task(key + "-thread-" + thread).idempotencyKey(key).progress(thread).build()));
			TaskInfo stored = this.storage.getTaskByIdempotencyKey(key).orElseThrow();
			assertThat(returned).hasSize(THREADS).allSatisfy((task) -> assertThat(task).isEqualTo(stored));
			assertThat(allTasks()).filteredOn((task) -> key.equals(task.idempotencyKey())).containsExactly(stored);
		}
		assertThat(allTasks()).hasSize(5);
	}

	@Test
	void concurrentSavesOfOneIdWithoutAKeyStoreOneStateAndAllGetItBack() throws Exception {
		List<TaskInfo> returned = onThreads(THREADS,
				(thread) -> this.storage.saveTaskIfAbsent(task("same").progress(thread).build()));
		TaskInfo stored = this.storage.getTask("same").orElseThrow();
		assertThat(returned).allSatisfy((task) -> assertThat(task).isEqualTo(stored));
	}

	// Claims and leases

	private TaskInfo claim(String category) {
		return this.storage.claimNext(category, "worker", Duration.ofMinutes(5)).orElseThrow();
	}

	@Test
	void claimNextClaimsTheTaskAsDocumented() {
		TaskInfo task = fullTask("t").toBuilder()
			.status(TaskStatus.RETRY)
			.category("work")
			.attempt(2)
			.nextAttemptAt(NOW.minusSeconds(5))
			.build();
		this.storage.saveTask(task);
		TaskInfo claimed = this.storage.claimNext("work", "worker-1", Duration.ofSeconds(30)).orElseThrow();
		assertThat(claimed).isEqualTo(task.toBuilder()
			.status(TaskStatus.STARTED)
			.attempt(3)
			.leaseOwner("worker-1")
			.leaseExpiresAt(NOW.plusSeconds(30))
			.claimedAt(NOW)
			.lastHeartbeatAt(NOW)
			.startedAt(NOW)
			.nextAttemptAt(null)
			.build());
		assertThat(this.storage.getTask("t")).contains(claimed);
		assertThat(this.storage.claimNext("work", "worker-2", Duration.ofSeconds(30))).isEmpty();
		restart();
		assertThat(this.storage.getTask("t")).contains(claimed);
	}

	@Test
	void claimNextFollowsReadinessThenPriorityThenCreation() {
		Instant past = NOW.minus(Duration.ofDays(1));
		List<TaskInfo> tasks = List.of(
				task("low-early").priority(TaskPriority.LOW).createdAt(past).build(),
				task("normal-later").createdAt(past.plusSeconds(10)).build(),
				task("critical-same-time").priority(TaskPriority.CRITICAL).createdAt(past.plusSeconds(10)).build(),
				task("retry-due-first").status(TaskStatus.RETRY)
					.createdAt(past.plusSeconds(100))
					.nextAttemptAt(past.minusSeconds(10))
					.build(),
				task("not-before-due").notBefore(past.plusSeconds(5)).createdAt(past.minusSeconds(50)).build(),
				task("high-same-creation").priority(TaskPriority.HIGH).createdAt(past.plusSeconds(10)).build(),
				task("expired-lease").createdAt(past.plusSeconds(20)).leaseExpiresAt(NOW).build());
		List<TaskInfo> hidden = List.of(task("other-category").category("other").createdAt(past.minusSeconds(99)).build(),
				task("started").status(TaskStatus.STARTED).createdAt(past.minusSeconds(99)).build(),
				task("done").status(TaskStatus.SUCCESS).createdAt(past.minusSeconds(99)).build(),
				task("leased").createdAt(past.minusSeconds(99)).leaseExpiresAt(NOW.plusSeconds(1)).build(),
				task("later").notBefore(NOW.plusSeconds(1)).createdAt(past.minusSeconds(99)).build(),
				task("retry-later").status(TaskStatus.RETRY)
					.nextAttemptAt(NOW.plusSeconds(1))
					.createdAt(past.minusSeconds(99))
					.build());
		List<TaskInfo> all = new ArrayList<>(tasks);
		all.addAll(hidden);
		this.storage.saveTasks(all);
		List<String> claimed = new ArrayList<>();
		for (int i = 0; i < tasks.size(); i++) {
			claimed.add(claim("email").id());
		}
		assertThat(claimed).containsExactly("retry-due-first", "low-early", "not-before-due", "critical-same-time",
				"high-same-creation", "normal-later", "expired-lease");
		assertThat(this.storage.claimNext("email", "worker", Duration.ofMinutes(5))).isEmpty();
		assertThat(this.storage.getTask("started")).contains(hidden.get(1));
	}

	@Test
	void aTaskDueInTheFutureIsHiddenUntilTheClockPassesItsTime() {
		this.storage.saveTasks(List.of(task("not-before").notBefore(NOW.plusSeconds(60)).build(),
				task("next-attempt").status(TaskStatus.RETRY).nextAttemptAt(NOW.plusSeconds(120)).build()));
		assertThat(this.storage.claimNext("email", "w", Duration.ofMinutes(1))).isEmpty();
		this.clock.advance(Duration.ofSeconds(59));
		assertThat(this.storage.claimNext("email", "w", Duration.ofMinutes(1))).isEmpty();
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(claim("email").id()).isEqualTo("not-before");
		assertThat(this.storage.claimNext("email", "w", Duration.ofMinutes(1))).isEmpty();
		this.clock.advance(Duration.ofSeconds(60));
		TaskInfo retried = claim("email");
		assertThat(retried.id()).isEqualTo("next-attempt");
		assertThat(retried.nextAttemptAt()).isNull();
		assertThat(this.storage.claimNext("email", "w", Duration.ofMinutes(1))).isEmpty();
	}

	@Test
	void aLeaseIsRenewedByItsOwnerOnlyAndReclaimedOnceExpired() {
		this.storage.saveTask(task("t").category("work").build());
		TaskInfo claimed = this.storage.claimNext("work", "owner", Duration.ofSeconds(30)).orElseThrow();
		assertThat(claimed.attempt()).isEqualTo(1);
		this.clock.advance(Duration.ofSeconds(10));
		assertThat(this.storage.renewLease("t", "owner", Duration.ofSeconds(60))).isTrue();
		TaskInfo renewed = claimed.toBuilder()
			.leaseExpiresAt(NOW.plusSeconds(70))
			.lastHeartbeatAt(NOW.plusSeconds(10))
			.build();
		assertThat(this.storage.getTask("t")).contains(renewed);
		assertThat(this.storage.renewLease("t", "intruder", Duration.ofHours(1))).isFalse();
		assertThat(this.storage.renewLease("missing", "owner", Duration.ofHours(1))).isFalse();
		assertThat(this.storage.getTask("t")).contains(renewed);
		assertThat(this.storage.claimNext("work", "intruder", Duration.ofSeconds(30))).isEmpty();
		this.clock.advance(Duration.ofSeconds(60));
		assertThat(this.storage.reclaimExpiredLeases(10)).isZero();
		assertThat(this.storage.claimNext("work", "intruder", Duration.ofSeconds(30))).isEmpty();
		this.clock.advance(Duration.ofSeconds(1));
		Instant reclaimedAt = NOW.plusSeconds(71);
		assertThat(this.storage.reclaimExpiredLeases(10)).isEqualTo(1);
		TaskInfo reclaimed = renewed.toBuilder()
			.status(TaskStatus.RETRY)
			.leaseOwner(null)
			.leaseExpiresAt(null)
			.lastHeartbeatAt(null)
			.nextAttemptAt(reclaimedAt)
			.build();
		assertThat(this.storage.getTask("t")).contains(reclaimed);
		assertThat(this.storage.renewLease("t", "owner", Duration.ofSeconds(60))).isFalse();
		assertThat(this.storage.reclaimExpiredLeases(10)).isZero();
		this.clock.advance(Duration.ofSeconds(1));
		TaskInfo again = this.storage.claimNext("work", "second", Duration.ofSeconds(30)).orElseThrow();
		assertThat(again.attempt()).isEqualTo(2);
		assertThat(again.claimedAt()).isEqualTo(NOW);
		assertThat(again.startedAt()).isEqualTo(NOW.plusSeconds(72));
		assertThat(again.leaseOwner()).isEqualTo("second");
		assertThat(again.nextAttemptAt()).isNull();
		restart();
		assertThat(this.storage.getTask("t")).contains(again);
	}

	@Test
	void aTaskWhoseAttemptCountIsAtItsMaximumIsClaimedKeepingItAndBlocksNoOther() {
		this.storage.saveTask(task("most").category("work").attempt(Integer.MAX_VALUE)
			.createdAt(NOW.minusSeconds(50))
			.build());
		this.storage.saveTask(task("next").category("work").createdAt(NOW.minusSeconds(10)).build());
		assertThat(claim("work")).satisfies((claimed) -> {
			assertThat(claimed.id()).isEqualTo("most");
			assertThat(claimed.attempt()).isEqualTo(Integer.MAX_VALUE);
		});
		assertThat(claim("work").id()).isEqualTo("next");
	}

	@Test
	void aLeaseMayEndInTheLastNanosecondsOfTheYear9999() {
		this.clock.set(Instant.parse("9999-12-31T23:59:00Z"));
		this.storage.saveTask(task("t").category("work").build());
		TaskInfo claimed = this.storage
			.claimNext("work", "worker", Duration.ofSeconds(59).plusNanos(999_999_999))
			.orElseThrow();
		assertThat(claimed.leaseExpiresAt()).isEqualTo(Instant.parse("9999-12-31T23:59:59.999999Z"));
	}

	@Test
	void reclaimExpiredLeasesReclaimsAtMostTheLimit() {
		List<TaskInfo> tasks = new ArrayList<>();
		for (int i = 0; i < 25; i++) {
			tasks.add(task("t-" + i).status(TaskStatus.STARTED)
				.leaseOwner("w")
				.leaseExpiresAt(NOW.minusSeconds(100 - i))
				.build());
		}
		tasks.add(task("live").status(TaskStatus.STARTED).leaseOwner("w").leaseExpiresAt(NOW.plusSeconds(1)).build());
		tasks.add(task("no-lease").status(TaskStatus.STARTED).build());
		tasks.add(task("pending").leaseExpiresAt(NOW.minusSeconds(1000)).build());
		this.storage.saveTasks(tasks);
		assertThat(this.storage.reclaimExpiredLeases(0)).isZero();
		assertThat(this.storage.reclaimExpiredLeases(10)).isEqualTo(10);
		assertThat(this.storage.reclaimExpiredLeases(100)).isEqualTo(15);
		assertThat(this.storage.reclaimExpiredLeases(100)).isZero();
		assertThat(this.storage.getTasks(null, TaskStatus.RETRY, 100, 0)).hasSize(25)
			.allSatisfy((task) -> assertThat(task.nextAttemptAt()).isIn(NOW));
		assertThat(this.storage.getTasks(null, TaskStatus.STARTED, 100, 0)).extracting(TaskInfo::id)
			.containsExactlyInAnyOrder("live", "no-lease");
	}

	@Test
	void concurrentClaimersEachClaimEveryTaskExactlyOnce() throws Exception {
		int count = 2_000;
		List<TaskInfo> tasks = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			tasks.add(task("t-" + i).category("race")
				.priority(TaskPriority.values()[i % TaskPriority.values().length])
				.createdAt(T0.plusMillis(i))
				.build());
		}
		this.storage.saveTasks(tasks);
		List<List<String>> claimed = onThreads(THREADS, (thread) -> {
			List<String> ids = new ArrayList<>();
			for (Optional<TaskInfo> next = this.storage.claimNext("race", "worker-" + thread,
					Duration.ofMinutes(5)); next.isPresent(); next = this.storage.claimNext("race",
							"worker-" + thread, Duration.ofMinutes(5))) {
				assertThat(next.get().leaseOwner()).isEqualTo("worker-" + thread);
				ids.add(next.get().id());
			}
			return ids;
		});
		List<String> all = claimed.stream().flatMap(List::stream).toList();
		assertThat(all).hasSize(count).doesNotHaveDuplicates();
		assertThat(this.storage.getTasks("race", TaskStatus.STARTED, count + 1, 0)).hasSize(count)
			.allSatisfy((task) -> assertThat(task.attempt()).isEqualTo(1));
		for (int thread = 0; thread < THREADS; thread++) {
			for (String id : claimed.get(thread)) {
				assertThat(this.storage.getTask(id).orElseThrow().leaseOwner()).isEqualTo("worker-" + thread);
			}
		}
	}

	/**
	 * Claims interleaved with saves, deletes and the passing of time each take the task a
	 * plain computation over every task stored picks.
	 */
	@Test
	void everyClaimTakesTheFirstReadyTaskOfWhatWasSavedBeforeIt() {
		Random random = new Random(42);
		Map<String, TaskInfo> model = new HashMap<>();
		List<TaskInfo> initial = new ArrayList<>();
		int[] serial = { 0 };
		for (int i = 0; i < 600; i++) {
			initial.add(randomPending(random, serial, "q"));
		}
		initial.add(randomPending(random, serial, "other"));
		this.storage.saveTasks(initial);
		initial.forEach((task) -> model.put(task.id(), task));
		for (int step = 0; step < 1_500; step++) {
			int op = random.nextInt(10);
			List<TaskInfo> queued = readyOrWaiting(model);
			if (op < 5 || queued.isEmpty()) {
				Instant now = this.clock.instant();
				Optional<TaskInfo> expected = model.values()
					.stream()
					.filter((task) -> task.category().equals("q") && isReady(task, now))
					.min(CLAIM_ORDER);
				Optional<TaskInfo> claimed = this.storage.claimNext("q", "w", Duration.ofMinutes(10));
				assertThat(claimed.map(TaskInfo::id)).as("claim at step " + step).isEqualTo(expected.map(TaskInfo::id));
				claimed.ifPresent((task) -> model.put(task.id(), task));
			}
			else if (op == 5) {
				TaskInfo task = randomPending(random, serial, "q");
				this.storage.saveTask(task);
				model.put(task.id(), task);
			}
			else if (op == 6) {
				TaskInfo task = queued.get(random.nextInt(queued.size())).toBuilder().status(TaskStatus.CANCELLED).build();
				this.storage.saveTask(task);
				model.put(task.id(), task);
			}
			else if (op == 7) {
				TaskInfo task = queued.get(random.nextInt(queued.size()));
				assertThat(this.storage.deleteTask(task.id())).isTrue();
				model.remove(task.id());
			}
			else if (op == 8) {
				TaskInfo task = queued.get(random.nextInt(queued.size()))
					.toBuilder()
					.priority(TaskPriority.values()[random.nextInt(4)])
					.nextAttemptAt(random.nextBoolean() ? this.clock.instant().plusSeconds(random.nextInt(600)) : null)
					.build();
				this.storage.saveTask(task);
				model.put(task.id(), task);
			}
			else {
				this.clock.advance(Duration.ofSeconds(random.nextInt(120)));
			}
		}
		assertThat(allTasks()).containsExactlyInAnyOrderElementsOf(model.values());
	}

	/** The order of {@link TaskStorage#claimNext}. */
	private static final Comparator<TaskInfo> CLAIM_ORDER = Comparator.comparing(TaskStorageContractTests::due)
		.thenComparing(TaskInfo::priority, Comparator.reverseOrder())
		.thenComparing(TaskInfo::createdAt);

	private static Instant due(TaskInfo task) {
		if (task.nextAttemptAt() != null) {
			return task.nextAttemptAt();
		}
		return (task.notBefore() != null) ? task.notBefore() : task.createdAt();
	}

	private static boolean isReady(TaskInfo task, Instant now) {
		return (task.status() == TaskStatus.PENDING || task.status() == TaskStatus.RETRY)
				&& Stream.of(task.nextAttemptAt(), task.notBefore(), task.leaseExpiresAt())
					.allMatch((time) -> time == null || !time.isAfter(now));
	}

	private List<TaskInfo> readyOrWaiting(Map<String, TaskInfo> model) {
		return model.values()
			.stream()
			.filter((task) -> task.category().equals("q")
					&& (task.status() == TaskStatus.PENDING || task.status() == TaskStatus.RETRY))
			.sorted(Comparator.comparing(TaskInfo::id))
			.toList();
	}

	/**
	 * Return a pending task with a creation time and due time of its own, so that no two
	 * tasks tie in claim order.
	 */
	private TaskInfo randomPending(Random random, int[] serial, String category) {
		int n = serial[0]++;
		Instant created = NOW.minus(Duration.ofHours(2)).plusMillis(n * 7L + random.nextInt(5));
		TaskInfo.Builder task = task("q-" + n).category(category)
			.priority(TaskPriority.values()[random.nextInt(4)])
			.createdAt(created);
		int kind = random.nextInt(4);
		if (kind == 1) {
			task.notBefore(this.clock.instant().plusSeconds(random.nextInt(3_600)).plusNanos(n * 1000L));
		}
		else if (kind == 2) {
			task.status(TaskStatus.RETRY).nextAttemptAt(created.minusSeconds(random.nextInt(3_600)).plusNanos(n * 1000L));
		}
		return task.build();
	}

	// Statistics

	/**
	 * Generate a few thousand tasks of random names, categories, statuses, durations,
	 * retries, creation and completion times, from a fixed seed.
	 */
	private List<TaskInfo> randomTasks() {
		Random random = new Random(7);
		List<TaskInfo> tasks = new ArrayList<>();
		String[] names = { "send_email", "resize_image", "charge_card", "build_report", "sync" };
		String[] categories = { "email", "media", "billing" };
		for (int i = 0; i < 3_000; i++) {
			TaskStatus status = TaskStatus.values()[random.nextInt(TaskStatus.values().length)];
			Instant created = NOW.minusSeconds(random.nextInt(60 * 24 * 3600)).minusNanos(random.nextInt(1_000_000) * 1000L);
			TaskInfo.Builder task = task("s-" + i).name(names[random.nextInt(names.length)])
				.category(categories[random.nextInt(categories.length)])
				.status(status)
				.createdAt(created)
				.retryCount(random.nextInt(6))
				.elapsedSeconds(random.nextInt(100_000_000) / 1_000_000.0);
			if (status.isTerminal() && random.nextInt(10) > 0) {
				task.completedAt(created.plusSeconds(random.nextInt(3 * 24 * 3600)).plusNanos(random.nextInt(1000) * 1000L));
			}
			tasks.add(task.build());
		}
		return tasks;
	}

	@Test
	void countTasksCountsEveryStatusInAllAndPerCategory() {
		List<TaskInfo> tasks = randomTasks();
		this.storage.saveTasks(tasks);
		this.storage.saveTask(tasks.get(0).toBuilder().status(TaskStatus.STARTED).build());
		List<TaskInfo> stored = allTasks();
		for (String category : Arrays.asList(null, "email", "media", "billing", "none")) {
			TaskCounts counts = this.storage.countTasks(category);
			List<TaskInfo> matching = stored.stream()
				.filter((task) -> category == null || task.category().equals(category))
				.toList();
			assertThat(counts.total()).isEqualTo(matching.size());
			for (TaskStatus status : TaskStatus.values()) {
				assertThat(counts.count(status)).as(category + " " + status)
					.isEqualTo(matching.stream().filter((task) -> task.status() == status).count());
			}
		}
	}

	@Test
	void statisticsByNameAgreeWithAPlainComputation() {
		List<TaskInfo> tasks = randomTasks();
		this.storage.saveTasks(tasks);
		for (Instant since : List.of(NOW.minus(Duration.ofDays(30)), NOW.minus(Duration.ofDays(365)),
				NOW.plusSeconds(1))) {
			List<TaskNameStatistics> statistics = this.storage.statisticsByName(since);
			List<TaskNameStatistics> expected = expectedStatistics(tasks, since);
			assertThat(statistics).hasSameSizeAs(expected);
			for (int i = 0; i < expected.size(); i++) {
				TaskNameStatistics actual = statistics.get(i);
				TaskNameStatistics wanted = expected.get(i);
				assertThat(actual.name()).isEqualTo(wanted.name());
				assertThat(actual.category()).isEqualTo(wanted.category());
				assertThat(actual.total()).isEqualTo(wanted.total());
				assertThat(actual.succeeded()).isEqualTo(wanted.succeeded());
				assertThat(actual.failed()).isEqualTo(wanted.failed());
				assertThat(actual.cancelled()).isEqualTo(wanted.cancelled());
				assertThat(actual.failureRate()).isEqualTo(wanted.failureRate());
				assertThat(actual.meanRetries()).isEqualTo(wanted.meanRetries());
				for (Duration[] pair : List.of(new Duration[] { actual.p50(), wanted.p50() },
						new Duration[] { actual.p95(), wanted.p95() }, new Duration[] { actual.p99(), wanted.p99() },
						new Duration[] { actual.max(), wanted.max() })) {
					assertThat(pair[0].minus(pair[1]).abs()).as(actual.name() + " " + actual.category())
						.isLessThanOrEqualTo(Duration.ofNanos(1000));
				}
			}
		}
		assertThat(this.storage.statisticsByName(NOW.plusSeconds(1))).isEmpty();
	}

	private static List<TaskNameStatistics> expectedStatistics(List<TaskInfo> tasks, Instant since) {
		Map<List<String>, List<TaskInfo>> groups = new HashMap<>();
		for (TaskInfo task : tasks) {
			if (!task.createdAt().isBefore(since)) {
				groups.computeIfAbsent(List.of(task.name(), task.category()), (key) -> new ArrayList<>()).add(task);
			}
		}
		List<TaskNameStatistics> statistics = new ArrayList<>();
		groups.forEach((key, group) -> {
			long succeeded = group.stream().filter((task) -> task.status() == TaskStatus.SUCCESS).count();
			long failed = group.stream().filter((task) -> task.status() == TaskStatus.FAILED).count();
			long cancelled = group.stream().filter((task) -> task.status() == TaskStatus.CANCELLED).count();
			long finished = succeeded + failed + cancelled;
			double[] durations = group.stream()
				.filter(TaskInfo::isCompleted)
				.mapToDouble(TaskInfo::elapsedSeconds)
				.sorted()
				.toArray();
			statistics.add(new TaskNameStatistics(key.get(0), key.get(1), group.size(), succeeded, failed, cancelled,
					(finished > 0) ? (double) failed / finished : 0, quantile(durations, 0.5), quantile(durations, 0.95),
					quantile(durations, 0.99), quantile(durations, 1),
					group.stream().mapToInt(TaskInfo::retryCount).average().orElse(0)));
		});
		statistics.sort(Comparator.comparingLong(TaskNameStatistics::total)
			.reversed()
			.thenComparing(TaskNameStatistics::name)
			.thenComparing(TaskNameStatistics::category));
		return statistics;
	}

	/**
	 * Return a continuous quantile: linear interpolation between the two closest values.
	 */
	private static Duration quantile(double[] sorted, double q) {
		if (sorted.length == 0) {
			return Duration.ZERO;
		}
		double position = (sorted.length - 1) * q;
		int below = (int) Math.floor(position);
		int above = (int) Math.ceil(position);
		double value = sorted[below] + (position - below) * (sorted[above] - sorted[below]);
		return Duration.ofNanos(Math.round(value * 1_000_000) * 1000);
	}

	@Test
	void completionsOverTimeAgreeWithAPlainComputation() {
		List<TaskInfo> tasks = randomTasks();
		this.storage.saveTasks(tasks);
		for (Duration bucket : List.of(Duration.ofHours(1), Duration.ofDays(1), Duration.ofSeconds(7919))) {
			for (String category : Arrays.asList(null, "media")) {
				Instant since = NOW.minus(Duration.ofDays(30));
				List<TaskCompletionBucket> buckets = this.storage.completionsOverTime(since, bucket, category);
				long size = bucket.toNanos() / 1000;
				long first = Math.floorDiv(micros(since), size);
				long last = Math.floorDiv(micros(NOW), size);
				assertThat(buckets).hasSize((int) (last - first + 1));
				Map<Long, long[]> expected = new HashMap<>();
				for (TaskInfo task : tasks) {
					if (task.completedAt() != null && task.isCompleted() && !task.completedAt().isBefore(since)
							&& Math.floorDiv(micros(task.completedAt()), size) <= last
							&& (category == null || task.category().equals(category))) {
						long[] counts = expected.computeIfAbsent(Math.floorDiv(micros(task.completedAt()), size),
								(index) -> new long[3]);
						counts[task.status().ordinal() - TaskStatus.SUCCESS.ordinal()]++;
					}
				}
				for (int i = 0; i < buckets.size(); i++) {
					long index = first + i;
					long[] counts = expected.getOrDefault(index, new long[3]);
					assertThat(buckets.get(i)).isEqualTo(new TaskCompletionBucket(
							Instant.EPOCH.plus(Duration.ofNanos(index * size * 1000)), counts[0], counts[1], counts[2]));
				}
				assertThat(buckets.stream().mapToLong(TaskCompletionBucket::total).sum()).isPositive();
			}
		}
	}

	private static long micros(Instant instant) {
		return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1000;
	}

	@Test
	void statisticsSeeEverySaveThatReturned() {
		assertThat(this.storage.countTasks(null).total()).isZero();
		assertThat(this.storage.statisticsByName(NOW.minusSeconds(60))).isEmpty();
		TaskInfo done = task("done").status(TaskStatus.SUCCESS)
			.createdAt(NOW.minusSeconds(10))
			.completedAt(NOW.minusSeconds(5))
			.elapsedSeconds(5)
			.build();
		this.storage.saveTask(done);
		assertThat(this.storage.countTasks("email").count(TaskStatus.SUCCESS)).isEqualTo(1);
		assertThat(this.storage.statisticsByName(NOW.minusSeconds(60))).singleElement()
			.satisfies((statistics) -> assertThat(statistics.p50()).isEqualTo(Duration.ofSeconds(5)));
		// The minute before now's, then now's
		assertThat(this.storage.completionsOverTime(NOW.minusSeconds(60), Duration.ofMinutes(1), null))
			.extracting(TaskCompletionBucket::total)
			.containsExactly(1L, 0L);
	}

	@Test
	void statisticsCountFromTheExactSinceWhenItIsFinerThanAMicrosecond() {
		Instant created = NOW.minusSeconds(30);
		Instant completed = NOW.minusSeconds(20);
		this.storage.saveTask(task("done").status(TaskStatus.SUCCESS)
			.createdAt(created)
			.completedAt(completed)
			.elapsedSeconds(10)
			.build());
		assertThat(this.storage.statisticsByName(created.minusNanos(1))).hasSize(1);
		assertThat(this.storage.statisticsByName(created)).hasSize(1);
		assertThat(this.storage.statisticsByName(created.plusNanos(1))).isEmpty();
		assertThat(this.storage.statisticsByName(created.plusNanos(999))).isEmpty();
		Duration hour = Duration.ofHours(1);
		assertThat(total(this.storage.completionsOverTime(completed.minusNanos(1), hour, null))).isEqualTo(1);
		assertThat(total(this.storage.completionsOverTime(completed, hour, null))).isEqualTo(1);
		assertThat(total(this.storage.completionsOverTime(completed.plusNanos(1), hour, null))).isZero();
		assertThat(total(this.storage.completionsOverTime(completed.plusNanos(999), hour, null))).isZero();
	}

	@Test
	void completionsSinceAnyInstantAfterTheYear9999AreNone() {
		assertThat(this.storage.completionsOverTime(Instant.MAX, Duration.ofMinutes(1), null)).isEmpty();
		assertThat(this.storage.completionsOverTime(Instant.parse("+300000-01-01T00:00:00Z"), Duration.ofDays(1),
				"email"))
			.isEmpty();
	}

	@Test
	void lookupsOfTextThatNoTaskHoldsFindNothingEvenWhereTheDatabaseCannotStoreIt() {
		this.storage.saveTask(task("x").category("c").idempotencyKey("k").build());
		String nul = "\u0000";
		assertThat(this.storage.getTask("x" + nul)).isEmpty();
		assertThat(this.storage.deleteTask("x" + nul)).isFalse();
		assertThat(this.storage.getTaskByIdempotencyKey("k" + nul)).isEmpty();
		assertThat(this.storage.getTasks("c" + nul, null, 10, 0)).isEmpty();
		assertThat(this.storage.getTaskSummaries("c" + nul, TaskStatus.PENDING, 10, 0)).isEmpty();
		assertThat(this.storage.countTasks("c" + nul).total()).isZero();
		assertThat(total(this.storage.completionsOverTime(NOW.minusSeconds(60), Duration.ofMinutes(1), "c" + nul)))
			.isZero();
		assertThat(this.storage.claimNext("c" + nul, "worker", Duration.ofMinutes(1))).isEmpty();
		assertThat(this.storage.renewLease("x" + nul, "worker", Duration.ofMinutes(1))).isFalse();
		assertThat(this.storage.getTask("x")).isPresent();
	}

	private static long total(List<TaskCompletionBucket> buckets) {
		return buckets.stream().mapToLong(TaskCompletionBucket::total).sum();
	}

	// Summaries

	@ParameterizedTest
	@EnumSource(Stage.class)
	void summariesHoldTheFieldsOfTheTasksOfTheSamePage(Stage stage) {
		save(stage, tasks("a-", 0), tasks("b-", 40));
		for (String category : Arrays.asList(null, "email", "billing")) {
			for (TaskStatus status : Arrays.asList(null, TaskStatus.PENDING, TaskStatus.SUCCESS)) {
				for (int offset = 0; offset < 90; offset += 13) {
					assertThat(this.storage.getTaskSummaries(category, status, 13, offset))
						.isEqualTo(summaries(this.storage.getTasks(category, status, 13, offset)));
				}
			}
		}
		assertThat(this.storage.getTaskSummaries(null, null, Integer.MAX_VALUE, 0)).hasSize(80)
			.isEqualTo(summaries(expected(null, null)));
		assertThat(this.storage.getTaskSummaries(null, null, 0, 0)).isEmpty();
	}

	@ParameterizedTest
	@EnumSource(Stage.class)
	void oldestSummariesListTheTasksOfAStatusOldestFirst(Stage stage) {
		save(stage, tasks("a-", 0), tasks("b-", 40));
		for (TaskStatus status : TaskStatus.values()) {
			List<TaskInfo> oldestFirst = new ArrayList<>(expected(null, status));
			Collections.reverse(oldestFirst);
			assertThat(this.storage.getOldestTaskSummaries(status, 5))
				.isEqualTo(summaries(oldestFirst.subList(0, Math.min(5, oldestFirst.size()))));
			assertThat(this.storage.getOldestTaskSummaries(status, 1000)).isEqualTo(summaries(oldestFirst));
		}
		assertThat(this.storage.getOldestTaskSummaries(TaskStatus.PENDING, 0)).isEmpty();
	}

	private static List<TaskSummary> summaries(List<TaskInfo> tasks) {
		return tasks.stream()
			.map((task) -> new TaskSummary(task.id(), task.name(), task.category(), task.priority(), task.status(),
					task.createdAt(), task.elapsedSeconds(), task.progress()))
			.toList();
	}

	// Bad arguments of the operations beyond saves and reads

	static Stream<Arguments> badArguments() {
		Duration lease = Duration.ofSeconds(30);
		Instant since = NOW.minusSeconds(60);
		Map<String, ThrowingStorageCall> calls = new LinkedHashMap<>();
		calls.put("idempotencyKey: null", (storage) -> storage.getTaskByIdempotencyKey(null));
		calls.put("idempotencyKey: lone surrogate", (storage) -> storage.getTaskByIdempotencyKey("k\uD800"));
		calls.put("task: null", (storage) -> storage.saveTaskIfAbsent(null));
		calls.put("result: unwritable", (storage) -> storage.saveTaskIfAbsent(task("bad").result(new NoProperties()).build()));
		calls.put("category: null", (storage) -> storage.claimNext(null, "w", lease));
		calls.put("category: blank", (storage) -> storage.claimNext(" ", "w", lease));
		calls.put("workerId: blank", (storage) -> storage.claimNext("email", "", lease));
		calls.put("workerId: null", (storage) -> storage.claimNext("email", null, lease));
		calls.put("lease: null", (storage) -> storage.claimNext("email", "w", null));
		calls.put("lease: zero", (storage) -> storage.claimNext("email", "w", Duration.ZERO));
		calls.put("lease: negative", (storage) -> storage.claimNext("email", "w", Duration.ofSeconds(-1)));
		calls.put("lease: past the year 9999", (storage) -> storage.claimNext("email", "w", Duration.ofDays(3_000_000)));
		calls.put("taskId: blank", (storage) -> storage.renewLease(" ", "w", lease));
		calls.put("workerId: null ", (storage) -> storage.renewLease("existing", null, lease));
		calls.put("lease: zero ", (storage) -> storage.renewLease("existing", "w", Duration.ZERO));
		calls.put("limit: negative", (storage) -> storage.reclaimExpiredLeases(-1));
		calls.put("category: lone surrogate", (storage) -> storage.countTasks("c\uDC00"));
		calls.put("since: null", (storage) -> storage.statisticsByName(null));
		calls.put("since: null ", (storage) -> storage.completionsOverTime(null, Duration.ofHours(1), null));
		calls.put("bucket: null", (storage) -> storage.completionsOverTime(since, null, null));
		calls.put("bucket: shorter than a second",
				(storage) -> storage.completionsOverTime(since, Duration.ofMillis(999), null));
		calls.put("buckets: more than 10000",
				(storage) -> storage.completionsOverTime(NOW.minus(Duration.ofDays(500)), Duration.ofHours(1), null));
		calls.put("category: lone surrogate ",
				(storage) -> storage.completionsOverTime(since, Duration.ofHours(1), "\uD800"));
		calls.put("limit: negative ", (storage) -> storage.getTaskSummaries(null, null, -1, 0));
		calls.put("offset: negative", (storage) -> storage.getTaskSummaries(null, null, 1, -1));
		calls.put("category: lone surrogate  ", (storage) -> storage.getTaskSummaries("\uD800", null, 1, 0));
		calls.put("status: null", (storage) -> storage.getOldestTaskSummaries(null, 1));
		calls.put("limit: negative  ", (storage) -> storage.getOldestTaskSummaries(TaskStatus.PENDING, -1));
		return calls.entrySet()
			.stream()
			.map((entry) -> arguments(entry.getKey().trim(), entry.getKey().substring(0, entry.getKey().indexOf(':')),
					entry.getValue()));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badArguments")
	void badArgumentsOfEachOperationAreRefusedNamingThem(String description, String named, ThrowingStorageCall call) {
		saveExisting();
		assertRefusedNamingAndNothingWritten(() -> call.call(this.storage), named);
	}

	/**
	 * A call of the storage that is expected to fail.
	 */
	@FunctionalInterface
	protected interface ThrowingStorageCall {

		void call(TaskStorage storage);

	}

	// Concurrent saves, including updates of the same ids

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

	/**
	 * Run a task on many threads at once and return what each returned, in thread order.
	 */
	protected static <T> List<T> onThreads(int threads, ThreadTask<T> task) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<T>> futures = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				Callable<T> call = () -> {
					start.await();
					return task.run(thread);
				};
				futures.add(executor.submit(call));
			}
			start.countDown();
			List<T> results = new ArrayList<>();
			for (Future<T> future : futures) {
				results.add(future.get(5, TimeUnit.MINUTES));
			}
			return results;
		}
		finally {
			executor.shutdownNow();
			assertThat(executor.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
		}
	}

	/**
	 * What one of the threads of {@link #onThreads} does.
	 */
	@FunctionalInterface
	protected interface ThreadTask<T> {

		T run(int thread) throws Exception;

	}

	@Test
	void concurrentSavesKeepEveryIdInOneOfItsLastWrittenStates() throws Exception {
		List<Map<String, TaskInfo>> lastWrites = runWriters(false);
		verify(lastWrites);
		restart();
		verify(lastWrites);
	}

	@Test
	void eachThreadReadsItsOwnSaveAsSoonAsItReturnsWhileOthersWrite() throws Exception {
		verify(runWriters(true));
	}

	@Test
	void concurrentBatchesAreEachSavedWholeAndInOrder() throws Exception {
		List<List<TaskInfo>> written = onThreads(THREADS, (thread) -> {
			List<TaskInfo> all = new ArrayList<>();
			for (int b = 0; b < 10; b++) {
				List<TaskInfo> batch = new ArrayList<>();
				for (int i = 0; i < 50; i++) {
					batch.add(state("batch-" + thread + "-" + b + "-" + i, thread, b));
					batch.add(state("shared-" + i, thread, b));
				}
				this.storage.saveTasks(batch);
				all.addAll(batch);
			}
			return all;
		});
		for (List<TaskInfo> tasks : written) {
			for (TaskInfo task : tasks) {
				if (!task.id().startsWith("shared")) {
					assertThat(this.storage.getTask(task.id())).contains(task);
				}
			}
		}
		assertThat(allTasks()).hasSize(THREADS * 10 * 50 + 50);
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
		return onThreads(THREADS, (thread) -> {
			Map<String, TaskInfo> last = new HashMap<>();
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
		});
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
		assertThat(allTasks()).hasSize(expectedCount).extracting(TaskInfo::id).doesNotHaveDuplicates();
		assertThat(this.storage.getTasks("shared", null, 100_000, 0)).hasSize(SHARED_IDS);
		for (int thread = 0; thread < THREADS; thread++) {
			assertThat(this.storage.getTasks("own-" + thread, null, 100_000, 0))
				.containsExactlyInAnyOrderElementsOf(lastWrites.get(thread)
					.values()
					.stream()
					.filter((task) -> task.id().startsWith("own"))
					.toList());
		}
	}

}
