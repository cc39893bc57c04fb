package dev.gobstopper.tasks.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.gobstopper.tasks.TaskCompletionBucket;
import dev.gobstopper.tasks.TaskCounts;
import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskNameStatistics;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskSummary;
import org.jspecify.annotations.Nullable;

/**
 * The operations the benchmark measures, implemented by each store it compares. A store
 * implements the optional ones only if it runs the workloads that call them (see
 * {@link Store#workloads()}).
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
	List<TaskInfo> getTasks(@Nullable String category, @Nullable TaskStatus status, int limit, int offset);

	/**
	 * Return one page of task summaries (no payloads), newest first.
	 */
	List<TaskSummary> getTaskSummaries(@Nullable String category, @Nullable TaskStatus status, int limit, int offset);

	/**
	 * Delete a task, committed when this returns.
	 * @return whether it was stored
	 */
	default boolean deleteTask(String id) {
		throw new UnsupportedOperationException(engine() + " does not delete tasks here");
	}

	/**
	 * Delete terminal tasks completed before now minus the retention.
	 * @return the number of tasks deleted
	 */
	int cleanupOldTasks(Duration retention);

	TaskCounts countTasks(@Nullable String category);

	List<TaskNameStatistics> statisticsByName(Instant since);

	/**
	 * Count the tasks of every category that finished since a time, per bucket.
	 */
	List<TaskCompletionBucket> completionsOverTime(Instant since, Duration bucket);

	/**
	 * Save the task unless one with its idempotency key is stored.
	 * @return the stored task
	 */
	default TaskInfo saveTaskIfAbsent(TaskInfo task) {
		throw new UnsupportedOperationException(engine() + " does not save tasks by idempotency key");
	}

	/**
	 * Claim the next ready task of a category under a lease.
	 * @return the claimed task, or empty if there is none or another claimer won the race
	 */
	default Optional<TaskInfo> claimNext(String category, String workerId, Duration lease) {
		throw new UnsupportedOperationException(engine() + " does not claim tasks");
	}

	/**
	 * Run {@code SELECT 1} through the connections the store reads with: the cost of a
	 * round trip, which no read can beat.
	 */
	default void roundTrip() {
		throw new UnsupportedOperationException(engine() + " has no round trip to measure");
	}

	/**
	 * Return how many saves are committed but not yet in the store's main table, for a
	 * store that keeps a journal.
	 */
	default long unmergedSaves() {
		return 0;
	}

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
	 * Bring a freshly loaded store to the state of one that has run for a while; nothing
	 * unless the database needs it.
	 */
	default void settle() {
	}

	/**
	 * Return the database engine and its version, for the report.
	 */
	String engine();

	@Override
	void close();

}
