package dev.gobstopper.tasks.duckdb;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TestTasks;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.gobstopper.tasks.TestTasks.NEWEST_FIRST;
import static dev.gobstopper.tasks.TestTasks.T0;
import static dev.gobstopper.tasks.TestTasks.fullTask;
import static dev.gobstopper.tasks.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads of tasks at each stage of their way into the task table: still in the journal, and
 * merged by the maintenance thread. Reads after a restart are part of the contract tests.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DuckDbTaskStorageQueryTests {

	@TempDir
	Path dir;

	private TaskDatabase db;

	private DuckDbTaskStorage storage;

	private TaskDatabase.@Nullable MergeHold hold;

	/** The last state saved of every task, in the order first saved. */
	private final Map<String, TaskInfo> saved = new LinkedHashMap<>();

	@BeforeEach
	void openStorage() {
		this.db = TaskDatabase.in(this.dir);
		this.storage = this.db.openStorage();
	}

	@AfterEach
	void closeStorage() {
		if (this.hold != null) {
			this.hold.close();
		}
		this.storage.close();
	}

	/**
	 * Save tasks in two rounds: the first, as one batch, is merged into the task table; the
	 * second, task by task, may update tasks of the first and is brought to the given stage.
	 */
	private void save(Stage stage, List<TaskInfo> first, List<TaskInfo> second) {
		this.storage.saveTasks(first);
		first.forEach((task) -> this.saved.put(task.id(), task));
		this.db.awaitJournalMerged();
		if (stage == Stage.IN_JOURNAL) {
			this.hold = this.db.holdMerges(this.storage);
			this.saved.put(this.hold.task().id(), this.hold.task());
		}
		second.forEach(this::save);
		if (stage == Stage.IN_JOURNAL) {
			assertThat(this.db.journalRows()).isGreaterThan(second.size());
		}
		else {
			this.db.awaitJournalMerged();
		}
	}

	private void save(TaskInfo task) {
		this.storage.saveTask(task);
		this.saved.put(task.id(), task);
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
	void pagesStayExactWhenUnmergedSavesMoveManyOfTheNewestTasksOutOfTheFilterOrIntoIt(Stage stage) {
		List<TaskInfo> first = new ArrayList<>();
		for (int i = 0; i < 300; i++) {
			first.add(task("t" + i).status(TaskStatus.PENDING).createdAt(T0.plusSeconds(i)).build());
		}
		List<TaskInfo> second = new ArrayList<>();
		for (int i = 299; i >= 150; i--) {
			second.add(first.get(i).toBuilder().status(TaskStatus.STARTED).build());
		}
		for (int i = 0; i < 40; i += 2) {
			second.add(first.get(i).toBuilder().status(TaskStatus.STARTED).build());
		}
		save(stage, first, second);
		for (TaskStatus status : List.of(TaskStatus.PENDING, TaskStatus.STARTED)) {
			List<TaskInfo> expected = expected("email", status);
			List<TaskInfo> pages = new ArrayList<>();
			for (int offset = 0; offset < expected.size() + 50; offset += 50) {
				pages.addAll(this.storage.getTasks("email", status, 50, offset));
			}
			assertThat(pages).isEqualTo(expected);
		}
	}

	@ParameterizedTest
	@EnumSource(Stage.class)
	void getTaskReturnsTheSavedTask(Stage stage) {
		save(stage, List.of(fullTask("old")), List.of(fullTask("new")));
		assertThat(this.storage.getTask("old")).contains(fullTask("old"));
		assertThat(this.storage.getTask("new")).contains(fullTask("new"));
	}

	@ParameterizedTest
	@EnumSource(Stage.class)
	void getTaskOfAnUnknownIdIsEmpty(Stage stage) {
		save(stage, List.of(fullTask("old")), List.of(fullTask("new")));
		assertThat(this.storage.getTask("missing")).isEmpty();
		assertThat(this.storage.getTask("OLD")).isEmpty();
		assertThat(this.storage.getTask("ol%")).isEmpty();
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
		assertThat(this.db.strings("SELECT table_name FROM duckdb_tables() ORDER BY 1")).containsExactly("tasks",
				"tasks_journal");
	}

	/**
	 * Where the tasks read are.
	 */
	enum Stage {

		/** Saved, not yet merged into the task table. */
		IN_JOURNAL,

		/** Merged into the task table by the maintenance thread. */
		MERGED

	}

}
