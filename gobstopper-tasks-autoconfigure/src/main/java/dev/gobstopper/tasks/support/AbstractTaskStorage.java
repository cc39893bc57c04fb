package dev.gobstopper.tasks.support;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import dev.gobstopper.tasks.TaskInfo;
import dev.gobstopper.tasks.TaskLimits;
import dev.gobstopper.tasks.TaskStatus;
import dev.gobstopper.tasks.TaskStorage;
import org.jspecify.annotations.Nullable;

/**
 * The base of every store: it checks the arguments of each call, then hands it to the
 * store. Stores implement the {@code do…} methods and see only arguments that passed.
 */
public abstract class AbstractTaskStorage implements TaskStorage {

	@Override
	public final void saveTask(TaskInfo task) {
		TaskArguments.requireNonNull("task", task);
		doSaveTask(task);
	}

	@Override
	public final void saveTasks(Collection<TaskInfo> tasks) {
		TaskArguments.requireNonNull("tasks", tasks);
		List<TaskInfo> checked = new ArrayList<>(tasks.size());
		int index = 0;
		for (TaskInfo task : tasks) {
			checked.add(TaskArguments.requireNonNull("tasks[" + index++ + "]", task));
		}
		if (!checked.isEmpty()) {
			doSaveTasks(checked);
		}
	}

	@Override
	public final Optional<TaskInfo> getTask(String taskId) {
		TaskArguments.requireLookupId("taskId", taskId);
		return (taskId.length() <= TaskLimits.MAX_KEY_LENGTH) ? doGetTask(taskId) : Optional.empty();
	}

	@Override
	public final List<TaskInfo> getTasks(@Nullable String category, @Nullable TaskStatus status, int limit,
			int offset) {
		TaskArguments.requireNotNegative("limit", limit);
		TaskArguments.requireNotNegative("offset", offset);
		if (category != null) {
			Text.requireWellFormed("category", category);
		}
		return (limit > 0) ? doGetTasks(category, status, limit, offset) : List.of();
	}

	@Override
	public final int cleanupOldTasks(int days, int months, int years) {
		TaskArguments.requireNotNegative("days", days);
		TaskArguments.requireNotNegative("months", months);
		TaskArguments.requireNotNegative("years", years);
		return cleanupOldTasks(Duration.ofDays(days + 30L * months + 365L * years));
	}

	@Override
	public final int cleanupOldTasks(Duration retention) {
		TaskArguments.requireNonNull("retention", retention);
		if (retention.isNegative()) {
			throw new IllegalArgumentException("retention must not be negative, got " + retention);
		}
		Instant now = Instant.now();
		if (retention.isZero() || retention.compareTo(Duration.between(TaskArguments.EARLIEST, now)) >= 0) {
			return 0;
		}
		return deleteCompletedBefore(now.minus(retention));
	}

	@Override
	public final boolean deleteTask(String taskId) {
		TaskArguments.requireLookupId("taskId", taskId);
		return taskId.length() <= TaskLimits.MAX_KEY_LENGTH && doDeleteTask(taskId);
	}

	protected abstract void doSaveTask(TaskInfo task);

	/**
	 * Save a batch, all or nothing.
	 * @param tasks at least one task, none null
	 */
	protected abstract void doSaveTasks(List<TaskInfo> tasks);

	/**
	 * Return the task with an id short enough to be stored.
	 */
	protected abstract Optional<TaskInfo> doGetTask(String taskId);

	/**
	 * Return a page of tasks, with a positive limit.
	 */
	protected abstract List<TaskInfo> doGetTasks(@Nullable String category, @Nullable TaskStatus status, int limit,
			int offset);

	/**
	 * Delete finished tasks that completed before the cutoff, a time after
	 * {@link TaskArguments#EARLIEST}.
	 * @return the number of tasks deleted
	 */
	protected abstract int deleteCompletedBefore(Instant cutoff);

	/**
	 * Delete the task with an id short enough to be stored.
	 */
	protected abstract boolean doDeleteTask(String taskId);

}
