package dev.gobstopper.tasks.benchmarks;

import java.util.Locale;

/**
 * A figure the benchmark reports: for every store, or for the stores that name it among
 * their own (see {@link Store}).
 */
enum Workload {

	SAVE_TASK_1("saveTask from 1 thread", "saves/s", true, true),

	SAVE_TASK_8("saveTask from 8 threads", "saves/s", true, true),

	SAVE_TASK_32("saveTask from 32 threads", "saves/s", true, true),

	SAVE_TASKS_SMALL("saveTasks in batches of %,d", "rows/s", true, true),

	SAVE_TASKS_LARGE("saveTasks in batches of %,d", "rows/s", true, true),

	SAVE_TASK_IF_ABSENT("saveTaskIfAbsent from 16 threads, 10% duplicate keys", "saves/s", true, false),

	QUEUE("queue: 8 workers claim and complete %,d tasks of 4 categories", "tasks/s", true, false),

	LIGHT_PAGE_FULL("getTasks page of 100 tasks with 10 KB results, median", "ms", false, true),

	LIGHT_PAGE_SUMMARIES("getTaskSummaries page of the same 100 tasks, median", "ms", false, true),

	LIGHT_PAGE_GAIN("getTasks page time / getTaskSummaries page time", "x", true, true),

	GET_TASK("getTask of random ids over %,d tasks", "reads/s", true, true),

	ROUND_TRIP("SELECT 1 through the store's pool (getTask's floor)", "reads/s", true, false),

	GET_TASKS_MEDIAN("getTasks page (limit 100, one category, one status) over %,d tasks, median", "ms", false, true),

	GET_TASKS_SLOWEST("getTasks page (limit 100, one category, one status) over %,d tasks, slowest", "ms", false,
			true),

	GET_TASKS_UNFILTERED("getTasks page (limit 100, no filter) over %,d tasks, median", "ms", false, false),

	GET_TASKS_BY_CATEGORY("getTasks page (limit 100, one category) over %,d tasks, median", "ms", false, false),

	GET_TASKS_BY_STATUS("getTasks page (limit 100, one status) over %,d tasks, median", "ms", false, false),

	GET_TASKS_WHILE_SAVING("getTasks page (one category, one status) over %,d tasks while saves wait unmerged, median",
			"ms", false, false),

	COUNT_TASKS("countTasks(null) over %,d tasks, median", "ms", false, true),

	STATISTICS_BY_NAME("statisticsByName(now - 30 days) over %,d tasks, median", "ms", false, true),

	COMPLETIONS_OVER_TIME("completionsOverTime(now - 30 days, 1 hour) over %,d tasks, median", "ms", false, true),

	POLL("poll: 8 threads getTask among the 1,000 newest while 2 threads save", "reads/s", true, true),

	CLEANUP("cleanupOldTasks deleting %,d of %,d tasks", "s", false, false),

	CLEANUP_WHILE_SAVING("cleanupOldTasks deleting %,d of %,d tasks while 8 threads save and 2 delete", "s", false,
			false),

	CLEANUP_SAVES_P99("saveTask latency during that cleanup, p99", "ms", false, false),

	CLEANUP_DELETES_P99("deleteTask latency during that cleanup, p99", "ms", false, false),

	PEAK_MEMORY("peak memory of the store's JVM (VmHWM)", "MB", false, true);

	private final String title;

	private final String unit;

	private final boolean higherIsBetter;

	private final boolean everyStore;

	Workload(String title, String unit, boolean higherIsBetter, boolean everyStore) {
		this.title = title;
		this.unit = unit;
		this.higherIsBetter = higherIsBetter;
		this.everyStore = everyStore;
	}

	static Workload saveTask(int threads) {
		return valueOf("SAVE_TASK_" + threads);
	}

	String title(Sizes sizes) {
		return switch (this) {
			case SAVE_TASKS_SMALL -> this.title.formatted(sizes.smallBatch());
			case SAVE_TASKS_LARGE -> this.title.formatted(sizes.largeBatch());
			case QUEUE -> this.title.formatted(sizes.queueTasks());
			case GET_TASK, GET_TASKS_MEDIAN, GET_TASKS_SLOWEST, GET_TASKS_UNFILTERED, GET_TASKS_BY_CATEGORY,
					GET_TASKS_BY_STATUS, GET_TASKS_WHILE_SAVING, COUNT_TASKS, STATISTICS_BY_NAME,
					COMPLETIONS_OVER_TIME ->
				this.title.formatted(sizes.tasks());
			case CLEANUP, CLEANUP_WHILE_SAVING -> this.title.formatted(sizes.tasks() / 2, sizes.tasks());
			default -> this.title;
		};
	}

	String unit() {
		return this.unit;
	}

	boolean higherIsBetter() {
		return this.higherIsBetter;
	}

	/**
	 * Return whether every store runs the workload.
	 */
	boolean everyStore() {
		return this.everyStore;
	}

	/**
	 * Return the key that names the workload in the lines a store's JVM prints.
	 */
	String key() {
		return name().toLowerCase(Locale.ROOT);
	}

	static Workload ofKey(String key) {
		return valueOf(key.toUpperCase(Locale.ROOT));
	}

}
