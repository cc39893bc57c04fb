package dev.gobstopper.tasks;

import java.time.Duration;
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

}
