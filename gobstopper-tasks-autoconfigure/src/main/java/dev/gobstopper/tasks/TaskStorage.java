package dev.gobstopper.tasks;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * Durable, queryable records of background tasks.
 * <p>
 * Bad input is refused with an {@link IllegalArgumentException} naming the field, and
 * leaves the storage as it was. A failure of the storage itself is a
 * {@link TaskStorageException}.
 */
public interface TaskStorage {

	/**
	 * Save a task: a new id inserts it, an existing id has every column replaced. The task
	 * is committed when this method returns.
	 * @param task the task to save
	 * @throws IllegalArgumentException if the task is null or holds a value that cannot be
	 * stored
	 */
	void saveTask(TaskInfo task);

	/**
	 * Save many tasks, all or nothing. Where an id appears more than once, the last one
	 * wins. The tasks are committed when this method returns.
	 * @param tasks the tasks to save
	 * @throws IllegalArgumentException if a task is null or holds a value that cannot be
	 * stored; none of the tasks is saved then
	 */
	void saveTasks(Collection<TaskInfo> tasks);

	/**
	 * Return the task with the given id.
	 * @param taskId the id
	 * @return the task, or empty if there is none
	 */
	Optional<TaskInfo> getTask(String taskId);

	/**
	 * Return tasks newest first, filtered by category and status.
	 * @param category the category, or {@code null} for any
	 * @param status the status, or {@code null} for any
	 * @param limit the most tasks to return
	 * @param offset how many matching tasks to skip
	 * @return the tasks, newest {@code createdAt} first
	 * @throws IllegalArgumentException if limit or offset is negative
	 */
	List<TaskInfo> getTasks(@Nullable String category, @Nullable TaskStatus status, int limit, int offset);

	/**
	 * Return the newest 100 tasks, filtered by category and status.
	 * @param category the category, or {@code null} for any
	 * @param status the status, or {@code null} for any
	 * @return the tasks, newest {@code createdAt} first
	 */
	default List<TaskInfo> getTasks(@Nullable String category, @Nullable TaskStatus status) {
		return getTasks(category, status, 100, 0);
	}

	/**
	 * Delete finished tasks ({@link TaskStatus#isTerminal() terminal} status) that completed
	 * before now minus the period. The periods add up; a month counts as 30 days and a year
	 * as 365.
	 * @param days days to keep
	 * @param months months of 30 days to keep
	 * @param years years of 365 days to keep
	 * @return the number of tasks deleted, 0 when every period is 0
	 * @throws IllegalArgumentException if a period is negative
	 */
	int cleanupOldTasks(int days, int months, int years);

	/**
	 * Delete finished tasks ({@link TaskStatus#isTerminal() terminal} status) that completed
	 * before now minus the retention.
	 * @param retention how long to keep finished tasks
	 * @return the number of tasks deleted, 0 when the retention is zero
	 * @throws IllegalArgumentException if the retention is negative
	 */
	int cleanupOldTasks(Duration retention);

	/**
	 * Delete the task with the given id.
	 * @param taskId the id
	 * @return whether a task was deleted
	 */
	boolean deleteTask(String taskId);

	/**
	 * Return the newest task, by {@link TaskInfo#createdAt()}, saved with the given
	 * idempotency key.
	 * @param idempotencyKey the key
	 * @return the task, or empty if there is none
	 */
	Optional<TaskInfo> getTaskByIdempotencyKey(String idempotencyKey);

	/**
	 * Save a task unless one like it is stored: one with the same idempotency key, or, when
	 * the task has none, the same id. Concurrent calls with one key, from any threads or
	 * instances, store exactly one task, and each gets that one back.
	 * @param task the task to save
	 * @return the stored task: the one found, or the task given once it is committed
	 * @throws IllegalArgumentException if the task is null or holds a value that cannot be
	 * stored
	 */
	TaskInfo saveTaskIfAbsent(TaskInfo task);

	/**
	 * Claim the next task of a category for a worker, under a lease. The task claimed is
	 * the first ready one: status {@link TaskStatus#PENDING} or {@link TaskStatus#RETRY},
	 * {@code nextAttemptAt}, {@code notBefore} and {@code leaseExpiresAt} each null or not
	 * after now; ordered by the first non-null of {@code nextAttemptAt}, {@code notBefore}
	 * and {@code createdAt}, then by priority, highest first, then by {@code createdAt}.
	 * <p>
	 * The claim sets the status to {@link TaskStatus#STARTED}, adds one to
	 * {@code attempt}, gives the lease to the worker until now plus the lease, sets
	 * {@code claimedAt} if it was null, {@code lastHeartbeatAt} and {@code startedAt} to now,
	 * and clears {@code nextAttemptAt}. Concurrent claimers never get the same task.
	 * @param category the category
	 * @param workerId who claims it
	 * @param lease how long the claim holds unless renewed
	 * @return the claimed task as stored, or empty if no task is ready
	 * @throws IllegalArgumentException if the category or worker id is null or blank, or
	 * the lease is not positive
	 */
	Optional<TaskInfo> claimNext(String category, String workerId, Duration lease);

	/**
	 * Renew a worker's lease on a task: if the task is {@link TaskStatus#STARTED} and leased
	 * to the worker, its lease runs until now plus the lease and its
	 * {@code lastHeartbeatAt} is now.
	 * @param taskId the task
	 * @param workerId the worker that holds the lease
	 * @param lease how long the lease holds from now
	 * @return whether the lease was renewed; if not, nothing changed
	 * @throws IllegalArgumentException if the task id or worker id is null or blank, or
	 * the lease is not positive
	 */
	boolean renewLease(String taskId, String workerId, Duration lease);

	/**
	 * Return tasks whose worker let their lease run out to be claimed again: at most
	 * {@code limit} {@link TaskStatus#STARTED} tasks whose lease expired before now get
	 * status {@link TaskStatus#RETRY}, no lease owner, lease expiry or heartbeat, and
	 * {@code nextAttemptAt} now.
	 * @param limit the most tasks to reclaim
	 * @return how many tasks were reclaimed
	 * @throws IllegalArgumentException if the limit is negative
	 */
	int reclaimExpiredLeases(int limit);

	/**
	 * Count the tasks, in all and per status.
	 * @param category the category, or {@code null} for any
	 * @return the counts, with every status present
	 */
	TaskCounts countTasks(@Nullable String category);

	/**
	 * Describe the tasks created at or after a time, per name and category.
	 * @param since the earliest creation time to include
	 * @return the statistics, the names with the most tasks first
	 */
	List<TaskNameStatistics> statisticsByName(Instant since);

	/**
	 * Count the tasks that finished at or after a time, per interval of their
	 * {@code completedAt}. The intervals are aligned to multiples of the bucket since the
	 * epoch, run from the one holding {@code since} to the one holding now, oldest first,
	 * and include those where no task finished.
	 * @param since the earliest completion time to include
	 * @param bucket the length of an interval, at least one second
	 * @param category the category, or {@code null} for any
	 * @return one bucket per interval
	 * @throws IllegalArgumentException if the bucket is shorter than a second, or the range
	 * spans more than 10,000 buckets
	 */
	List<TaskCompletionBucket> completionsOverTime(Instant since, Duration bucket, @Nullable String category);

	/**
	 * Return tasks newest first, as {@link #getTasks(String, TaskStatus, int, int)} does,
	 * but only the columns of a {@link TaskSummary}: the payloads are not read.
	 * @param category the category, or {@code null} for any
	 * @param status the status, or {@code null} for any
	 * @param limit the most tasks to return
	 * @param offset how many matching tasks to skip
	 * @return the summaries, newest {@code createdAt} first
	 * @throws IllegalArgumentException if limit or offset is negative
	 */
	List<TaskSummary> getTaskSummaries(@Nullable String category, @Nullable TaskStatus status, int limit, int offset);

	/**
	 * Return the oldest tasks in a status, such as the pending tasks that have waited
	 * longest.
	 * @param status the status
	 * @param limit the most tasks to return
	 * @return the summaries, oldest {@code createdAt} first
	 * @throws IllegalArgumentException if the status is null or the limit negative
	 */
	List<TaskSummary> getOldestTaskSummaries(TaskStatus status, int limit);

}
