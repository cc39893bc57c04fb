package dev.gobstopper.tasks.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskStatus;

/**
 * The operations the benchmark measures, implemented by each store it compares.
 */
interface BenchStore extends AutoCloseable {

	/**
	 * Save one task, committed when this returns.
	 */
	void saveTask(TaskInfo task);

	/**
	 * Save many tasks in one transaction, committed when this returns.
	 */
	void saveTasks(List<TaskInfo> tasks);

	Optional<TaskInfo> getTask(String id);

	/**
	 * Return one page of tasks, newest first.
	 */
	List<TaskInfo> getTasks(String category, TaskStatus status, int limit, int offset);

	/**
	 * Delete terminal tasks completed before now minus the retention.
	 * @return the number of tasks deleted
	 */
	int cleanupOldTasks(Duration retention);

	/**
	 * Load tasks that are not stored yet by the fastest path the store has; used to prepare
	 * the read workloads, not measured against the other stores. Unless a store has a
	 * faster path, that is {@link #saveTasks}.
	 */
	default void bulkLoad(List<TaskInfo> tasks) {
		saveTasks(tasks);
	}

	/**
	 * Say how {@link #bulkLoad} loads, for the report.
	 */
	default String bulkLoadPath() {
		return "saveTasks";
	}

	/**
	 * Return the database engine and its version, for the report.
	 */
	String engine();

	@Override
	void close();

}
