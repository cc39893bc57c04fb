package dev.gobstopper.tasks.benchmarks;

import java.util.Locale;

/**
 * A figure the benchmark reports for every store.
 */
enum Workload {

	SAVE_TASK_1("saveTask from 1 thread", "saves/s", true),

	SAVE_TASK_8("saveTask from 8 threads", "saves/s", true),

	SAVE_TASK_32("saveTask from 32 threads", "saves/s", true),

	SAVE_TASKS_SMALL("saveTasks in batches of %,d", "rows/s", true),

	SAVE_TASKS_LARGE("saveTasks in batches of %,d", "rows/s", true),

	GET_TASK("getTask of random ids over %,d tasks", "reads/s", true),

	GET_TASKS_MEDIAN("getTasks page (limit 100, one category, one status) over %,d tasks, median", "ms", false),

	GET_TASKS_SLOWEST("getTasks page (limit 100, one category, one status) over %,d tasks, slowest", "ms", false),

	CLEANUP("cleanupOldTasks deleting %,d of %,d tasks", "s", false),

	PEAK_MEMORY("peak memory of the store's JVM (VmHWM)", "MB", false);

	private final String title;

	private final String unit;

	private final boolean higherIsBetter;

	Workload(String title, String unit, boolean higherIsBetter) {
		this.title = title;
		this.unit = unit;
		this.higherIsBetter = higherIsBetter;
	}

	static Workload saveTask(int threads) {
		return valueOf("SAVE_TASK_" + threads);
	}

	String title(Sizes sizes) {
		return switch (this) {
			case SAVE_TASKS_SMALL -> this.title.formatted(sizes.smallBatch());
			case SAVE_TASKS_LARGE -> this.title.formatted(sizes.largeBatch());
			case GET_TASK, GET_TASKS_MEDIAN, GET_TASKS_SLOWEST -> this.title.formatted(sizes.tasks());
			case CLEANUP -> this.title.formatted(sizes.tasks() / 2, sizes.tasks());
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
	 * Return the key that names the workload in the lines a store's JVM prints.
	 */
	String key() {
		return name().toLowerCase(Locale.ROOT);
	}

	static Workload ofKey(String key) {
		return valueOf(key.toUpperCase(Locale.ROOT));
	}

}
